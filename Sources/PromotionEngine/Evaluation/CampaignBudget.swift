import Foundation

/// What a campaign's budgets still allow in one evaluation.
///
/// Enforced: campaign-wide limits (no `entities`) over the whole campaign (`period` absent or `overall`)
/// on `redeemCoupon` (coupon redemptions) and `setDiscount` (money given as discounts). Per-profile,
/// per-coupon and per-period budgets are not enforced yet.
public struct CampaignBudget: Sendable, Hashable {
    public var maximumRedemptions: Int?
    public var maximumDiscount: Decimal?
    public var remainingRedemptions: Int?
    public var remainingDiscount: Decimal?

    public init(limits: [LimitConfig], counters: CampaignCounters) {
        for limit in limits where limit.entities.isEmpty && (limit.period == nil || limit.period == "overall") {
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
