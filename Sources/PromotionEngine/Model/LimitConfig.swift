/// A budget on an action (`redeemCoupon`, `setDiscount`, …), optionally per period and per entity.
public struct LimitConfig: Sendable, Hashable, Codable {
    public var action: String
    public var limit: Decimal
    public var period: String?
    public var entities: [String]

    public init(action: String, limit: Decimal, period: String? = nil, entities: [String] = []) {
        self.action = action
        self.limit = limit
        self.period = period
        self.entities = entities
    }

    public static let actions: Set<String> = [
        "setDiscount", "setDiscountEffect", "redeemCoupon", "redeemReferral", "createCoupon",
        "createReferral", "createLoyaltyPoints", "redeemLoyaltyPoints", "customEffect",
        "callApi", "reserveCoupon", "addFreeItem",
    ]
    public static let periods: Set<String> = ["overall", "daily", "weekly", "monthly", "yearly"]
    public static let entityKinds: Set<String> = ["Coupon", "Referral", "Profile", "Identifier", "Store"]

    func validate(at pointer: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if !Self.actions.contains(action) {
            issues.append(.init(pointer: pointer + "/action", message: "unknown limit action '\(action)'"))
        }
        if limit < 0 {
            issues.append(.init(pointer: pointer + "/limit", message: "must not be negative"))
        }
        if let period, !Self.periods.contains(period) {
            issues.append(.init(pointer: pointer + "/period", message: "must be one of \(Self.periods.sorted())"))
        }
        for (index, entity) in entities.enumerated() where !Self.entityKinds.contains(entity) {
            issues.append(.init(pointer: "\(pointer)/entities/\(index)", message: "unknown entity '\(entity)'"))
        }
        return issues
    }
}

import Foundation
