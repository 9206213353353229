import Foundation
import PromotionEngine
import Testing

@Suite struct AudienceEngineTests {
    private func evaluate(_ rule: CompiledRule, profileId: String? = "p1", audiences: Set<Int64>) -> EvaluationOutcome {
        let program = CampaignProgram(campaignId: 30, rulesetId: 300, name: "audiences", rules: [rule])
        var input = EvaluationInput(application: shop(), session: tutorialSession(codes: [], profileId: profileId),
                                    profile: nil, campaigns: [program], coupons: [], now: now)
        input.audienceIds = audiences
        return RuleEngine.evaluate(input)
    }

    private let membersOnly = CompiledRule(title: "members", condition: { $0.profileInAudience(7) },
                                           effects: [{ $0.setDiscount(name: "vip", value: 5) }])

    @Test func membershipConditionsHoldOnlyForMembers() {
        #expect(discountValues(evaluate(membersOnly, audiences: [7])) == [5])
        #expect(discountValues(evaluate(membersOnly, audiences: [8])).isEmpty)
        #expect(discountValues(evaluate(membersOnly, audiences: [])).isEmpty)
    }

    @Test func joiningAndLeavingAreEffectsWithTheirMembershipChange() throws {
        let join = CompiledRule(title: "join", condition: { _ in true }, effects: [{ try $0.changeAudience(7, joins: true) }])
        let outcome = evaluate(join, audiences: [])
        #expect(outcome.effects.map(\.type) == [.addToAudience])
        #expect(outcome.effects.first?.audienceMembershipChange
            == AudienceMembershipChange(audienceId: 7, profileIntegrationId: "p1", joins: true))
        // An anonymous session has nobody to add: the rule does not apply.
        #expect(evaluate(join, profileId: nil, audiences: []).effects.isEmpty)
        let decoded = try JSONDecoder().decode(Effect.self, from: JSONEncoder().encode(outcome.effects[0]))
        #expect(decoded == outcome.effects[0])
    }
}
