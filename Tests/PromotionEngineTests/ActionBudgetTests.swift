import Foundation
import PromotionEngine
import Testing

/// Campaign budgets on loyalty points and referrals, as the engine applies them from the snapshot's counters:
/// points past a `createLoyaltyPoints` budget are not given, a spend past `redeemLoyaltyPoints` drops its rule,
/// a referral code past `redeemReferral` is refused with the spec's reason.
@Suite struct ActionBudgetTests {
    static let today = BudgetPeriod.daily.key(at: now, timeZone: .gmt)

    static func loyalty(_ limits: [LimitConfig], _ effect: @escaping @Sendable (RuleScope) throws -> Void)
        -> CampaignProgram
    {
        CampaignProgram(campaignId: 20, rulesetId: 200, name: "loyalty", limits: limits,
                        rules: [CompiledRule(title: "points", condition: { _ in true }, effects: [effect])])
    }

    static func run(_ campaigns: [CampaignProgram], used: [ActionCounterKey: Decimal], profileId: String? = "alice",
                    referral: ReferralContext? = nil) -> EvaluationOutcome
    {
        var session = tutorialSession(codes: [], profileId: profileId)
        session.referralCode = referral?.referral?.code
        var counters = CampaignCounters()
        counters.actionCounters = used
        var input = EvaluationInput(application: shop(), session: session, profile: nil, campaigns: campaigns,
                                    coupons: [], campaignCounters: [20: counters], now: now)
        input.loyalty = [LoyaltyStanding(program: LoyaltyRuleTests.program, activePoints: ["": 100])]
        if let referral { input.referralContext = referral }
        return RuleEngine.evaluate(input)
    }

    @Test func pointsPastABudgetAreNotGivenWhileTheRuleStillApplies() {
        let campaign = Self.loyalty([
            LimitConfig(action: .createLoyaltyPoints, limit: 25),
            LimitConfig(action: .createLoyaltyPoints, limit: 10, period: .daily, entities: [.profile]),
        ]) { scope in
            try scope.addLoyaltyPoints(programId: 5, points: 10)
            scope.setDiscount(name: "thanks", value: 1)
        }
        let profileToday = ActionCounterKey(action: .createLoyaltyPoints, perProfile: true, periodKey: Self.today)
        #expect(Self.run([campaign], used: [:]).effects.map(\.type) == [.addLoyaltyPoints, .setDiscount])
        #expect(Self.run([campaign], used: [.init(action: .createLoyaltyPoints): 15]).effects.map(\.type)
            == [.addLoyaltyPoints, .setDiscount])
        // 10 points do not fit in the 9 left: none are given (never a part), the discount still is.
        #expect(Self.run([campaign], used: [.init(action: .createLoyaltyPoints): 16]).effects.map(\.type) == [.setDiscount])
        #expect(Self.run([campaign], used: [profileToday: 1]).effects.map(\.type) == [.setDiscount])
        // Another day's use, or another profile's, is another counter.
        let yesterday = ActionCounterKey(action: .createLoyaltyPoints, perProfile: true, periodKey: "daily:2000-01-01")
        #expect(Self.run([campaign], used: [yesterday: 10]).effects.map(\.type) == [.addLoyaltyPoints, .setDiscount])
    }

    @Test func twoRulesOfOneSessionShareTheBudget() {
        let earn = CompiledRule(title: "earn", condition: { _ in true },
                                effects: [{ try $0.addLoyaltyPoints(programId: 5, points: 6) }])
        let campaign = CampaignProgram(campaignId: 20, rulesetId: 200, name: "loyalty",
                                       limits: [LimitConfig(action: .createLoyaltyPoints, limit: 10)],
                                       rules: [earn, earn])
        #expect(Self.run([campaign], used: [:]).effects.map(\.type) == [.addLoyaltyPoints])
    }

    @Test func aSpendPastTheBudgetDropsItsRuleWithTheDiscount() {
        let campaign = Self.loyalty([LimitConfig(action: .redeemLoyaltyPoints, limit: 12)]) { scope in
            try scope.redeemLoyaltyPoints(programId: 5, points: 5, value: Decimal(string: "2.5")!)
        }
        #expect(Self.run([campaign], used: [.init(action: .redeemLoyaltyPoints): 7]).effects.map(\.type)
            == [.setDiscount, .deductLoyaltyPoints])
        #expect(Self.run([campaign], used: [.init(action: .redeemLoyaltyPoints): 8]).effects.isEmpty)
    }

    @Test(arguments: [
        (LimitConfig(action: .redeemReferral, limit: 2), ActionCounterKey(action: .redeemReferral), "CampaignLimitReached"),
        (LimitConfig(action: .redeemReferral, limit: 1, period: .daily, entities: [.profile]),
         ActionCounterKey(action: .redeemReferral, perProfile: true, periodKey: ActionBudgetTests.today), "ProfileLimitReached"),
    ])
    func referralsPastABudgetAreRefused(limit: LimitConfig, counter: ActionCounterKey, reason: String) {
        let campaign = CampaignProgram(
            campaignId: 20, rulesetId: 200, name: "friends", limits: [limit],
            rules: [CompiledRule(title: "friend reward", condition: { $0.referralValid() },
                                 effects: [{ $0.setDiscount(name: "friend", value: 10) }])]
        )
        let code = ReferralContext(referral: Referral(id: 5, campaignId: 20, code: "REF-1",
                                                      advocateProfileIntegrationId: "advocate"))
        let within = Self.run([campaign], used: [counter: limit.limit - 1], referral: code)
        #expect(within.effects.map(\.type) == [.acceptReferral, .setDiscount])
        #expect(within.acceptedReferral?.referralId == 5)
        let past = Self.run([campaign], used: [counter: limit.limit], referral: code)
        #expect(past.effects.map(\.type) == [.rejectReferral])
        #expect(past.effects.first?.kind.props["rejectionReason"] == .string(reason))
        #expect(past.acceptedReferral == nil)
    }

    @Test func aCodeUsedAsOftenAsTheBudgetPerReferralAllowsIsRefused() {
        let campaign = CampaignProgram(
            campaignId: 20, rulesetId: 200, name: "friends",
            limits: [LimitConfig(action: .redeemReferral, limit: 3, entities: [.referral])],
            rules: [CompiledRule(title: "friend reward", condition: { $0.referralValid() },
                                 effects: [{ $0.setDiscount(name: "friend", value: 10) }])]
        )
        func code(used: Int) -> ReferralContext {
            ReferralContext(referral: Referral(id: 5, campaignId: 20, code: "REF-1", advocateProfileIntegrationId: "a",
                                               usageCounter: used))
        }
        #expect(Self.run([campaign], used: [:], referral: code(used: 2)).acceptedReferral != nil)
        let past = Self.run([campaign], used: [:], referral: code(used: 3))
        #expect(past.effects.first?.kind.props["rejectionReason"] == .string("ReferralLimitReached"))
    }

    @Test func theBudgetsOfACloseCarryTheirMaximums() {
        let limits = [
            LimitConfig(action: .createLoyaltyPoints, limit: 25),
            LimitConfig(action: .createLoyaltyPoints, limit: 40, period: .daily),
            LimitConfig(action: .createLoyaltyPoints, limit: 10, period: .daily, entities: [.profile]),
            LimitConfig(action: .redeemCoupon, limit: 3),
        ]
        let budget = ActionBudget(limits: limits, hasProfile: true, now: now, timeZone: .gmt)
        #expect(budget.maximums == [
            ActionCounterKey(action: .createLoyaltyPoints): 25,
            ActionCounterKey(action: .createLoyaltyPoints, periodKey: Self.today): 40,
            ActionCounterKey(action: .createLoyaltyPoints, perProfile: true, periodKey: Self.today): 10,
        ])
        #expect(budget.left(.createLoyaltyPoints) == 10 && budget.left(.redeemLoyaltyPoints) == nil)
        // An anonymous session has no profile to count for.
        let anonymous = ActionBudget(limits: limits, hasProfile: false, now: now, timeZone: .gmt)
        #expect(anonymous.maximums.count == 2 && anonymous.left(.createLoyaltyPoints) == 25)
    }
}
