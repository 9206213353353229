import Foundation
import PromotionEngine
import Services
import Testing

@Suite struct CampaignLineupTests {
    private func program(_ condition: String, effect: String = #"["setDiscount", "d", 1]"#) throws -> CampaignProgram {
        let rules = [RuleDefinition(
            title: "r",
            condition: try JSONDecoder().decode(JSONValue.self, from: Data(condition.utf8)),
            effects: [try JSONDecoder().decode(JSONValue.self, from: Data(effect.utf8))]
        )]
        return CampaignProgram(campaignId: 1, rulesetId: 1, name: "c",
                               rules: try RulesetCompiler.compile(rules, cascading: false))
    }

    /// Sessions read audience memberships only for lineups whose rules test them (a round trip saved per
    /// request otherwise).
    @Test func audienceMembershipsAreNeededOnlyWhenARuleTestsThem() throws {
        let plain = try program(#"[">", [".", "Session", "Total"], 10]"#)
        let targeted = try program(#"["and", [">", [".", "Session", "Total"], 10], ["profileInAudience", 7]]"#)
        #expect(!CampaignLineup(programs: [plain]).usesAudiences)
        #expect(CampaignLineup(programs: [plain, targeted]).usesAudiences)
        #expect(targeted.rules[0].calledFunctions.isSuperset(of: ["and", ">", ".", "profileInAudience", "setDiscount"]))
    }
}
