import Foundation

/// A budget on an action (`redeemCoupon`, `setDiscount`, …), optionally per period and per entity.
public struct LimitConfig: Sendable, Hashable, Codable {
    public var action: LimitAction
    public var limit: Decimal
    /// nil: the budget is for the campaign's whole life (Talon.One omits the period; "overall" is read as nil).
    public var period: BudgetPeriod?
    public var entities: [LimitEntity]

    public init(action: LimitAction, limit: Decimal, period: BudgetPeriod? = nil, entities: [LimitEntity] = []) {
        self.action = action
        self.limit = limit
        self.period = period
        self.entities = entities
    }

    enum CodingKeys: String, CodingKey { case action, limit, period, entities }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        action = try container.decode(LimitAction.self, forKey: .action)
        limit = try container.decode(Decimal.self, forKey: .limit)
        // Sconto accepted "overall" before it followed the spec's enum; it means "no period".
        if let text = try container.decodeIfPresent(String.self, forKey: .period), text != "overall" {
            period = try container.decode(BudgetPeriod.self, forKey: .period)
        } else {
            period = nil
        }
        entities = try container.decodeIfPresent([LimitEntity].self, forKey: .entities) ?? []
    }

    /// Whether this is a per-profile budget (`entities: ["Profile"]`).
    public var isPerProfile: Bool { entities == [.profile] }

    func validate(at pointer: String) -> [ValidationIssue] {
        limit < 0 ? [.init(pointer: pointer + "/limit", message: "must not be negative")] : []
    }
}

/// What a budget counts (`LimitConfig.action`).
public enum LimitAction: String, Sendable, Hashable, Codable, CaseIterable, ClosedSetDecodable {
    case setDiscount, setDiscountEffect, redeemCoupon, redeemReferral, createCoupon, createReferral
    case createLoyaltyPoints, redeemLoyaltyPoints, customEffect, callApi, reserveCoupon, addFreeItem
}

/// Whom a budget counts per (`LimitConfig.entities`); none: per campaign.
public enum LimitEntity: String, Sendable, Hashable, Codable, CaseIterable, ClosedSetDecodable {
    case coupon = "Coupon", referral = "Referral", profile = "Profile", identifier = "Identifier"
    case store = "Store", session = "Session"
}

extension BudgetPeriod: Codable, ClosedSetDecodable {}
