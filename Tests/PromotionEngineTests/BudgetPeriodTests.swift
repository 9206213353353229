import Foundation
import PromotionEngine
import Testing

@Suite struct BudgetPeriodTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    @Test func keysFollowTheApplicationsTimeZone() {
        // 23:30 UTC on Tuesday 24 November 2026 is already Wednesday the 25th in Berlin.
        let late = ISO8601DateFormatter().date(from: "2026-11-24T23:30:00Z")!
        #expect(BudgetPeriod.daily.key(at: late, timeZone: .gmt) == "daily:2026-11-24")
        #expect(BudgetPeriod.daily.key(at: late, timeZone: berlin) == "daily:2026-11-25")
        #expect(BudgetPeriod.weekly.key(at: late, timeZone: berlin) == "weekly:2026-W48")
        #expect(BudgetPeriod.monthly.key(at: late, timeZone: berlin) == "monthly:2026-11")
        #expect(BudgetPeriod.yearly.key(at: late, timeZone: berlin) == "yearly:2026")
        // ISO weeks: 1 January 2027 (a Friday) belongs to week 53 of 2026.
        let newYear = ISO8601DateFormatter().date(from: "2027-01-01T12:00:00Z")!
        #expect(BudgetPeriod.weekly.key(at: newYear, timeZone: .gmt) == "weekly:2026-W53")
    }

    @Test func aPeriodBudgetCountsOnlyItsCurrentPeriod() {
        let now = ISO8601DateFormatter().date(from: "2026-11-25T10:00:00Z")!
        let limits = [LimitConfig(action: .redeemCoupon, limit: 3, period: .daily),
                      LimitConfig(action: .setDiscount, limit: 100, period: .monthly),
                      LimitConfig(action: .redeemCoupon, limit: 10)]
        var counters = CampaignCounters()
        counters.couponRedemptionCount = 8
        counters.periods = ["daily:2026-11-25": PeriodCounters(couponRedemptions: 2),
                            "daily:2026-11-24": PeriodCounters(couponRedemptions: 3),
                            "monthly:2026-11": PeriodCounters(couponRedemptions: 8, discount: 70)]
        let budget = CampaignBudget(limits: limits, counters: counters, now: now, timeZone: .gmt)
        #expect(budget.remainingRedemptions == 1)  // 3 a day, 2 used today (the overall 10 leaves 2)
        #expect(budget.remainingDiscount == 30)
        #expect(budget.periodMaximums["daily:2026-11-25"]?.couponRedemptions == 3)
        #expect(budget.periodMaximums["monthly:2026-11"]?.discount == 100)
        let tomorrow = CampaignBudget(limits: limits, counters: counters, now: now.addingTimeInterval(86400), timeZone: .gmt)
        #expect(tomorrow.remainingRedemptions == 2)  // a new day; the overall budget binds now
    }
}
