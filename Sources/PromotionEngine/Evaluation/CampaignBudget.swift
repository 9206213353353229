import Foundation

/// What a campaign's budgets still allow in one evaluation.
///
/// Enforced over the whole campaign (`period` absent or `overall`): campaign-wide limits (no `entities`) on
/// `redeemCoupon` (coupon redemptions) and `setDiscount` (money given as discounts), and per-profile limits
/// (`entities: ["Profile"]`) on `redeemCoupon`. Per-coupon and per-period budgets are not enforced yet.
public struct CampaignBudget: Sendable, Hashable {
    public var maximumRedemptions: Int?
    public var maximumDiscount: Decimal?
    public var maximumProfileRedemptions: Int?
    public var remainingRedemptions: Int?
    public var remainingDiscount: Decimal?
    public var remainingProfileRedemptions: Int?

    /// - Parameter profileRedemptions: how often the session's profile already redeemed this campaign's coupons.
    public init(limits: [LimitConfig], counters: CampaignCounters, profileRedemptions: Int = 0) {
        for limit in limits where limit.period == nil || limit.period == "overall" {
            if limit.entities == ["Profile"], limit.action == "redeemCoupon" {
                let maximum = NSDecimalNumber(decimal: limit.limit).intValue
                maximumProfileRedemptions = min(maximumProfileRedemptions ?? .max, maximum)
                remainingProfileRedemptions = max(0, maximum - profileRedemptions)
                continue
            }
            guard limit.entities.isEmpty else { continue }
            switch limit.action {
            case "redeemCoupon":
                let maximum = NSDecimalNumber(decimal: limit.limit).intValue
                maximumRedemptions = min(maximumRedemptions ?? .max, maximum)
                remainingRedemptions = max(0, maximum - counters.couponRedemptionCount)
            case "setDiscount":
                maximumDiscount = min(maximumDiscount ?? limit.limit, limit.limit)
                remainingDiscount = max(0, limit.limit - counters.discountCount)
            default:
                continue
            }
        }
    }
}
