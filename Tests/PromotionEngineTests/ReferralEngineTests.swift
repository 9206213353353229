import Foundation
import PromotionEngine
import Testing

/// A referral campaign: 10 off for a friend whose code is valid.
private func friendReward(campaignId: Int64 = 20) -> CampaignProgram {
    CampaignProgram(
        campaignId: campaignId, rulesetId: 200, name: "friends",
        rules: [CompiledRule(
            title: "friend reward", condition: { $0.referralValid() },
            effects: [{ scope in scope.setDiscount(name: "friend", value: 10) }]
        )]
    )
}

private func evaluate(code: String?, friend: String? = "friend", context: ReferralContext,
                      campaigns: [CampaignProgram] = [friendReward()]) -> EvaluationOutcome
{
    var session = tutorialSession(codes: [], profileId: friend)
    session.referralCode = code
    var input = EvaluationInput(application: shop(), session: session, profile: nil, campaigns: campaigns, coupons: [],
                                now: now)
    input.referralContext = context
    return RuleEngine.evaluate(input)
}

private func referral(campaignId: Int64 = 20, limit: Int = 0, used: Int = 0) -> Referral {
    Referral(id: 5, campaignId: campaignId, code: "REF-1", advocateProfileIntegrationId: "advocate",
             usageLimit: limit, usageCounter: used)
}

private func referralRejection(_ outcome: EvaluationOutcome) -> String? {
    guard let effect = outcome.effects.first(where: { $0.type == .rejectReferral }),
          case .string(let reason)? = effect.kind.props["rejectionReason"] else { return nil }
    return reason
}

@Suite struct ReferralEngineTests {
    @Test func aValidCodeIsAcceptedByTheRuleThatUsesIt() {
        let outcome = evaluate(code: "REF-1", context: ReferralContext(referral: referral()))
        #expect(outcome.effects.map(\.type) == [.acceptReferral, .setDiscount])
        #expect(outcome.acceptedReferral?.referralId == 5)
        #expect(outcome.acceptedReferral?.advocateProfileIntegrationId == "advocate")
        #expect(discountValues(outcome) == [10])
    }

    @Test func noCodeMeansNoReferralEffectsAndNoDiscount() {
        let outcome = evaluate(code: nil, context: ReferralContext(referral: nil))
        #expect(outcome.effects.isEmpty && outcome.acceptedReferral == nil)
    }

    @Test(arguments: [
        (ReferralContext(referral: nil), "friend", "ReferralNotFound"),
        (ReferralContext(referral: referral(limit: 1, used: 1)), "friend", "ReferralLimitReached"),
        (ReferralContext(referral: referral()), "advocate", "ReferralRecipientIdSameAsAdvocate"),
        (ReferralContext(referral: referral(), friendAlreadyReferred: true), "friend", "ReferralCustomerAlreadyReferred"),
        (ReferralContext(referral: referral(), advocateExists: false), "friend", "AdvocateNotFound"),
        (ReferralContext(referral: referral(campaignId: 99)), "friend", "ReferralPartOfNotRunningCampaign"),
    ])
    func refusals(context: ReferralContext, friend: String, reason: String) {
        let outcome = evaluate(code: "REF-1", friend: friend, context: context)
        #expect(referralRejection(outcome) == reason)
        #expect(discountValues(outcome).isEmpty && outcome.acceptedReferral == nil)
    }

    @Test func datesAndRecipientAreChecked() {
        var expired = referral()
        expired.expiryDate = now
        #expect(referralRejection(evaluate(code: "REF-1", context: ReferralContext(referral: expired))) == "ReferralExpired")
        var future = referral()
        future.startDate = now.addingTimeInterval(60)
        #expect(referralRejection(evaluate(code: "REF-1", context: ReferralContext(referral: future)))
            == "ReferralStartDateInFuture")
        var bound = referral()
        bound.friendProfileIntegrationId = "someone-else"
        #expect(referralRejection(evaluate(code: "REF-1", context: ReferralContext(referral: bound)))
            == "ReferralRecipientDoesNotMatch")
    }

    @Test func aCodeNoRuleUsesIsRejectedByCondition() {
        let plain = CampaignProgram(campaignId: 20, rulesetId: 200, name: "plain", rules: [CompiledRule(
            title: "always", condition: { _ in true }, effects: [{ $0.setDiscount(name: "plain", value: 1) }]
        )])
        let outcome = evaluate(code: "REF-1", context: ReferralContext(referral: referral()), campaigns: [plain])
        #expect(referralRejection(outcome) == "ReferralRejectedByCondition")
        #expect(outcome.acceptedReferral == nil)
    }

    @Test func referralValidHoldsOnlyForTheCodesCampaign() {
        let outcome = evaluate(code: "REF-1", context: ReferralContext(referral: referral()),
                               campaigns: [friendReward(campaignId: 21), friendReward()])
        #expect(outcome.effects.filter { $0.type == .setDiscount }.map(\.campaignId) == [20])
    }

    @Test func effectsRoundTripThroughTheirDocumentForm() throws {
        let origin = EffectOrigin(campaignId: 20, rulesetId: 0, ruleIndex: 0, ruleName: "")
        for effect in [Effect.acceptReferral(origin, code: "REF-1"), .rollbackReferral(origin, code: "REF-1"),
                       .rejectReferral(origin, code: "REF-1", reason: .referralExpired)] {
            let decoded = try JSONDecoder().decode(Effect.self, from: JSONEncoder().encode(effect))
            #expect(decoded == effect)
        }
    }
}
