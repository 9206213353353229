import Foundation
import PromotionEngine
import Testing

@Suite struct CollectionEngineTests {
    @Test func membershipIsASetLookupWithCampaignCollectionsFirst() {
        let big = Set((0..<100_000).map { "S\($0)" })
        let sets = CollectionSets(account: ["not_on_sale": big], campaigns: [7: ["not_on_sale": ["OWN"]]])
        #expect(sets.contains("S99999", in: "not_on_sale", campaignId: 1))
        #expect(!sets.contains("OWN", in: "not_on_sale", campaignId: 1))
        #expect(sets.contains("OWN", in: "not_on_sale", campaignId: 7))
        #expect(!sets.contains("S1", in: "not_on_sale", campaignId: 7))
        #expect(!sets.contains("S1", in: "unknown", campaignId: 1))
        // Every item of the 100,000 is found (each a hash lookup; no timing asserted, CI machines vary).
        #expect((0..<100_000).allSatisfy { sets.contains("S\($0)", in: "not_on_sale", campaignId: 1) })
    }

    @Test func rulesSeeTheCollectionsOfTheirInput() {
        let program = CampaignProgram(campaignId: 40, rulesetId: 400, name: "sale", rules: [CompiledRule(
            title: "regular", condition: { !$0.isInCollection("not_on_sale", $0.session.cartItems[0].sku) },
            effects: [{ $0.setDiscount(name: "regular", value: 5) }]
        )])
        var input = EvaluationInput(application: shop(), session: tutorialSession(codes: []), profile: nil,
                                    campaigns: [program], coupons: [], now: now)
        #expect(discountValues(RuleEngine.evaluate(input)) == [5])
        input.collections = CollectionSets(account: ["not_on_sale": ["rdbs-1111"]])
        #expect(discountValues(RuleEngine.evaluate(input)).isEmpty)
    }
}
