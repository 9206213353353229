import Foundation
import PromotionEngine
import Storage

/// The SDK's `Referral`.
struct ReferralBody: Encodable, Sendable {
    var id: Int64
    var created: Date
    var startDate: Date?
    var expiryDate: Date?
    var usageLimit: Int
    var campaignId: Int64
    var advocateProfileIntegrationId: String
    var friendProfileIntegrationId: String?
    var attributes: [String: JSONValue]
    var importId: Int64?
    var code: String
    var usageCounter: Int
    var batchId: String?

    init(_ referral: Referral) {
        (id, created, startDate, expiryDate) = (referral.id, referral.created, referral.startDate, referral.expiryDate)
        (usageLimit, campaignId, code, usageCounter) =
            (referral.usageLimit, referral.campaignId, referral.code, referral.usageCounter)
        advocateProfileIntegrationId = referral.advocateProfileIntegrationId
        friendProfileIntegrationId = referral.friendProfileIntegrationId
        attributes = referral.attributes ?? [:]
        (importId, batchId) = (referral.importId, referral.batchId)
    }
}

/// The referral fields `createReferral`, `createReferralsForMultipleAdvocates` and `updateReferral` share.
/// A request body and the referral fields it carries, both read from the same JSON object.
struct WithReferralFields<Body: Decodable>: Decodable {
    var body: Body
    var fields: ReferralFields

    init(from decoder: any Decoder) throws {
        body = try Body(from: decoder)
        fields = try ReferralFields(from: decoder)
    }
}

struct ReferralFields: Decodable {
    var startDate: Date?
    var expiryDate: Date?
    var usageLimit: Int?
    var attributes: [String: JSONValue]?

    func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let limit = usageLimit, !(0...999_999).contains(limit) {
            issues.append(.init(pointer: "/usageLimit", message: "must be 0 (unlimited) to 999999"))
        }
        if let start = startDate, let expiry = expiryDate, expiry <= start {
            issues.append(.init(pointer: "/expiryDate", message: "must be after startDate"))
        }
        return issues
    }
}

/// The SDK's `InventoryReferral`: a `Referral` and the friends it brought (session answers and inventories).
struct InventoryReferralBody: Encodable, Sendable {
    var referral: ReferralBody
    var referredCustomers: [String]

    func encode(to encoder: any Encoder) throws {
        try referral.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(referredCustomers, forKey: .referredCustomers)
    }

    private enum Key: String, CodingKey { case referredCustomers }

    /// The referrals with the friends each brought, read once for their advocates.
    static func list(_ referrals: [Referral], applicationId: Int64, store: any Store) async throws
        -> [InventoryReferralBody]
    {
        var friends: [Int64: [String]] = [:]
        for advocate in Set(referrals.map(\.advocateProfileIntegrationId)) {
            let (found, _) = try await store.referredFriends(
                applicationId: applicationId, advocateProfileIntegrationId: advocate,
                page: PageRequest(pageSize: InventoryRoutes.maximumItems)
            )
            for friend in found { friends[friend.referralId, default: []].append(friend.friendProfileIntegrationId) }
        }
        return referrals.map { InventoryReferralBody(referral: ReferralBody($0), referredCustomers: friends[$0.id] ?? []) }
    }
}
