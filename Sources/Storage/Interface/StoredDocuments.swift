import Foundation
import PromotionEngine

/// The JSON documents every backend keeps in text columns, and the helpers both use to write and read them, so
/// that one shape serves SQLite and PostgreSQL alike.
public enum StoredJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    public static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// `ORDER BY` for a listing, from the fields it allows; unknown fields are refused, not ignored.
public func listingOrder(_ sort: SortField?, allowed: [String: String], default fallback: String) throws -> String {
    guard let sort else { return "ORDER BY \(fallback)" }
    guard let column = allowed[sort.field] else { throw StoreError.unsupportedSort(field: sort.field) }
    return "ORDER BY \(column) \(sort.descending ? "DESC" : "ASC"), id ASC"
}

/// The session's fields that are not columns (`customer_session.body`).
public struct SessionDocument: Codable, Sendable {
    var profileId: String?
    var storeIntegrationId: String?
    var couponCodes: [String]
    var referralCode: String?
    var loyaltyCards: [String]
    var cartItems: [CartItem]
    var additionalCosts: [String: AdditionalCost]
    var identifiers: [String]
    var attributes: [String: JSONValue]
    var firstSession: Bool

    public init(_ session: CustomerSession) {
        (profileId, storeIntegrationId, couponCodes, referralCode) =
            (session.profileId, session.storeIntegrationId, session.couponCodes, session.referralCode)
        (loyaltyCards, cartItems, additionalCosts, identifiers) =
            (session.loyaltyCards, session.cartItems, session.additionalCosts, session.identifiers)
        (attributes, firstSession) = (session.attributes, session.firstSession)
    }

    /// The session with these columns.
    public func session(id: Int64, integrationId: String, applicationId: Int64, state: String, updateCount: Int,
                        created: Date, updated: Date) -> CustomerSession
    {
        CustomerSession(
            id: id, integrationId: integrationId, applicationId: applicationId, profileId: profileId,
            storeIntegrationId: storeIntegrationId, couponCodes: couponCodes, referralCode: referralCode,
            loyaltyCards: loyaltyCards, state: SessionState(rawValue: state) ?? .open, cartItems: cartItems,
            additionalCosts: additionalCosts, identifiers: identifiers, attributes: attributes,
            firstSession: firstSession, updateCount: updateCount, created: created, updated: updated
        )
    }
}

/// A ruleset's rules (`ruleset.body`).
public struct RulesetDocument: Codable, Sendable {
    public var rules: [RuleDefinition]
    public var bindings: [JSONValue]
    public var strikethroughRules: [RuleDefinition]

    public init(rules: [RuleDefinition], bindings: [JSONValue], strikethroughRules: [RuleDefinition]) {
        (self.rules, self.bindings, self.strikethroughRules) = (rules, bindings, strikethroughRules)
    }

    public func ruleset(id: Int64, campaignId: Int64, userId: Int64, created: Date) -> Ruleset {
        Ruleset(id: id, campaignId: campaignId, userId: userId, created: created, rules: rules, bindings: bindings,
                strikethroughRules: strikethroughRules)
    }
}

/// What no coupon query filters on (`coupon.details`).
public struct CouponDetails: Codable, Sendable {
    var attributes: [String: JSONValue]?
    var limits: [LimitConfig]?
    var reservationLimit: Int?
    /// Absent unless set, so that generated coupons keep storing `{}`.
    var isReservationMandatory: Bool?
    var implicitlyReserved: Bool?

    public init(_ coupon: Coupon) {
        (attributes, limits, reservationLimit) = (coupon.attributes, coupon.limits, coupon.reservationLimit)
        isReservationMandatory = coupon.isReservationMandatory ? true : nil
        implicitlyReserved = coupon.implicitlyReserved ? true : nil
    }

    /// Generated coupons mostly store no details: `{}` skips the decoder (exports read millions).
    public init(stored text: String) throws {
        self = text == "{}" ? CouponDetails() : try StoredJSON.decode(CouponDetails.self, from: text)
    }

    private init() {}

    public func apply(to coupon: inout Coupon) {
        coupon.attributes = attributes
        coupon.limits = limits
        coupon.reservationLimit = reservationLimit
        coupon.isReservationMandatory = isReservationMandatory ?? false
        coupon.implicitlyReserved = implicitlyReserved ?? false
    }
}

/// An event's columns with the internal ids of its session and profile (`EventFilter.withInternalIds`): scalar
/// subqueries on their unique keys, so the event's own columns stay unqualified in the `WHERE` of either backend.
public let eventColumnsWithInternalIds = """
    *, (SELECT s.id FROM customer_session s WHERE s.application_id = event.application_id
            AND s.integration_id = event.session_integration_id) AS session_internal_id,
       (SELECT p.id FROM customer_profile p WHERE p.application_id = event.application_id
            AND p.integration_id = event.profile_integration_id) AS profile_internal_id
    """
