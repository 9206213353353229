import Foundation

/// What a campaign's budgets still allow in one evaluation.
///
/// Campaign-wide limits (no `entities`) on `redeemCoupon` (coupon redemptions) and `setDiscount` (money given
/// as discounts), over the whole campaign (`period` absent or `overall`) or per `daily`/`weekly`/`monthly`/
/// `yearly` period in the application's time zone; per-profile limits (`entities: ["Profile"]`) on
/// `redeemCoupon`, over the whole campaign or per period.
public struct CampaignBudget: Sendable, Hashable {
    public var maximumRedemptions: Int?
    public var maximumDiscount: Decimal?
    public var maximumProfileRedemptions: Int?
    public var remainingRedemptions: Int?
    public var remainingDiscount: Decimal?
    public var remainingProfileRedemptions: Int?
    /// `createCoupon` limits: coupons the campaign's rules may create in all (`createCoupon` effects beyond
    /// the budget are left out).
    public var maximumCouponCreations: Int?
    public var remainingCouponCreations: Int?
    /// Period budgets by ``BudgetPeriod`` key: what the commit re-checks for the periods it counts in.
    public var periodMaximums: [String: PeriodMaximum] = [:]
    /// Per-profile `redeemCoupon` budgets per ``BudgetPeriod`` key (re-checked by the commit the same way).
    public var profilePeriodMaximums: [String: Int] = [:]

    public struct PeriodMaximum: Sendable, Hashable, Codable {
        public var couponRedemptions: Int?
        public var discount: Decimal?

        public init(couponRedemptions: Int? = nil, discount: Decimal? = nil) {
            (self.couponRedemptions, self.discount) = (couponRedemptions, discount)
        }
    }

    /// - Parameter profileRedemptions: how often the session's profile already redeemed this campaign's coupons.
    /// - Parameter profilePeriodRedemptions: the same per ``BudgetPeriod`` key (closes in that period).
    /// - Parameter now, timeZone: which periods are current (the application's time zone).
    public init(limits: [LimitConfig], counters: CampaignCounters, profileRedemptions: Int = 0,
                profilePeriodRedemptions: [String: Int] = [:], now: Date = Date(), timeZone: TimeZone = .gmt) {
        for limit in limits where limit.isPerProfile && limit.action == .redeemCoupon {
            guard let period = limit.period else { continue }
            let key = period.key(at: now, timeZone: timeZone)
            let maximum = NSDecimalNumber(decimal: limit.limit).intValue
            profilePeriodMaximums[key] = min(profilePeriodMaximums[key] ?? .max, maximum)
            remainingProfileRedemptions = min(remainingProfileRedemptions ?? .max,
                                              max(0, maximum - (profilePeriodRedemptions[key] ?? 0)))
        }
        for limit in limits where limit.entities.isEmpty {
            guard let period = limit.period else { continue }
            let key = period.key(at: now, timeZone: timeZone)
            let used = counters.periods?[key] ?? PeriodCounters()
            var maximum = periodMaximums[key] ?? PeriodMaximum()
            switch limit.action {
            case .redeemCoupon:
                let count = NSDecimalNumber(decimal: limit.limit).intValue
                maximum.couponRedemptions = min(maximum.couponRedemptions ?? .max, count)
                remainingRedemptions = min(remainingRedemptions ?? .max, max(0, count - used.couponRedemptions))
            case .setDiscount:
                maximum.discount = min(maximum.discount ?? limit.limit, limit.limit)
                remainingDiscount = min(remainingDiscount ?? limit.limit, max(0, limit.limit - used.discount))
            default:
                continue
            }
            periodMaximums[key] = maximum
        }
        for limit in limits where limit.period == nil {
            if limit.isPerProfile, limit.action == .redeemCoupon {
                let maximum = NSDecimalNumber(decimal: limit.limit).intValue
                maximumProfileRedemptions = min(maximumProfileRedemptions ?? .max, maximum)
                remainingProfileRedemptions = min(remainingProfileRedemptions ?? .max, max(0, maximum - profileRedemptions))
                continue
            }
            guard limit.entities.isEmpty else { continue }
            switch limit.action {
            case .redeemCoupon:
                let maximum = NSDecimalNumber(decimal: limit.limit).intValue
                maximumRedemptions = min(maximumRedemptions ?? .max, maximum)
                remainingRedemptions = min(remainingRedemptions ?? .max, max(0, maximum - counters.couponRedemptionCount))
            case .setDiscount:
                maximumDiscount = min(maximumDiscount ?? limit.limit, limit.limit)
                remainingDiscount = min(remainingDiscount ?? limit.limit, max(0, limit.limit - counters.discountCount))
            case .createCoupon:
                let maximum = NSDecimalNumber(decimal: limit.limit).intValue
                maximumCouponCreations = min(maximumCouponCreations ?? .max, maximum)
                remainingCouponCreations = min(remainingCouponCreations ?? .max, max(0, maximum - counters.couponCreationCount))
            default:
                continue
            }
        }
    }
}
