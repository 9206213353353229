import Foundation
import PromotionEngine
import Testing

@Suite struct CampaignBudgetTests {
    @Test func exhaustedRedemptionBudgetRejectsCouponsWithCampaignLimitReached() {
        var campaign = twentyPercentWithCoupon()
        campaign.limits = [LimitConfig(action: .redeemCoupon, limit: 2)]
        var used = CampaignCounters()
        used.couponRedemptionCount = 2
        let outcome = RuleEngine.evaluate(EvaluationInput(
            application: shop(), session: tutorialSession(), profile: nil, campaigns: [campaign],
            coupons: [Coupon(id: 7, campaignId: 10, value: "xmas20")], campaignCounters: [10: used], now: now
        ))
        #expect(rejection(outcome) == "CampaignLimitReached")
        #expect(discountValues(outcome).isEmpty)
        used.couponRedemptionCount = 1
        let underBudget = RuleEngine.evaluate(EvaluationInput(
            application: shop(), session: tutorialSession(), profile: nil, campaigns: [campaign],
            coupons: [Coupon(id: 7, campaignId: 10, value: "xmas20")], campaignCounters: [10: used], now: now
        ))
        #expect(underBudget.acceptedCoupons.count == 1)
    }

    @Test func discountBudgetCapsWhatIsLeft() {
        let campaign = CampaignProgram(
            campaignId: 1, rulesetId: 1, name: "budget", limits: [LimitConfig(action: .setDiscount, limit: 30)],
            rules: [CompiledRule(title: "25 off", condition: { _ in true },
                                 effects: [{ $0.setDiscount(name: "25 off", value: 25) }, { $0.setDiscount(name: "more", value: 25) }])]
        )
        var used = CampaignCounters()
        used.discountCount = 10
        let outcome = RuleEngine.evaluate(EvaluationInput(
            application: shop(), session: tutorialSession(codes: []), profile: nil, campaigns: [campaign], coupons: [],
            campaignCounters: [1: used], now: now
        ))
        #expect(discountValues(outcome) == [20, 0])
    }

    @Test func perProfilePeriodLimitsCountTheCurrentPeriodOnly() {
        let now = ISO8601DateFormatter().date(from: "2026-11-25T10:00:00Z")!
        let limits = [LimitConfig(action: .redeemCoupon, limit: 1, period: .daily, entities: [.profile]),
                      LimitConfig(action: .redeemCoupon, limit: 5, entities: [.profile])]
        let today = CampaignBudget(limits: limits, counters: CampaignCounters(), profileRedemptions: 3,
                                   profilePeriodRedemptions: ["daily:2026-11-25": 1], now: now, timeZone: .gmt)
        #expect(today.remainingProfileRedemptions == 0)
        #expect(today.profilePeriodMaximums == ["daily:2026-11-25": 1])
        #expect(today.remainingRedemptions == nil)  // nothing campaign-wide
        let tomorrow = CampaignBudget(limits: limits, counters: CampaignCounters(), profileRedemptions: 3,
                                      profilePeriodRedemptions: [:], now: now.addingTimeInterval(86400), timeZone: .gmt)
        #expect(tomorrow.remainingProfileRedemptions == 1)  // a new day; the overall 5 leaves 2
    }
}

@Suite struct ProfileBudgetTests {
    @Test func profileThatUsedItsShareGetsProfileLimitReached() {
        var campaign = twentyPercentWithCoupon()
        campaign.limits = [LimitConfig(action: .redeemCoupon, limit: 1, entities: [.profile])]
        let coupon = Coupon(id: 7, campaignId: 10, value: "xmas20")
        let spent = RuleEngine.evaluate(EvaluationInput(
            application: shop(), session: tutorialSession(profileId: "p"), profile: nil, campaigns: [campaign],
            coupons: [coupon], profileRedemptions: [10: 1], now: now
        ))
        #expect(rejection(spent) == "ProfileLimitReached")
        let fresh = RuleEngine.evaluate(EvaluationInput(
            application: shop(), session: tutorialSession(profileId: "p"), profile: nil, campaigns: [campaign],
            coupons: [coupon], profileRedemptions: [10: 0], now: now
        ))
        #expect(fresh.acceptedCoupons.count == 1)
    }
}
