import Foundation
@testable import PromotionEngine
import Testing

/// The campaign index only leaves out campaigns the engine would have skipped: outcomes never change.
@Suite struct CampaignIndexTests {
    /// 40 campaigns of four kinds: coupon-only, per SKU, per category, and one that applies to every cart.
    func campaigns() throws -> [CampaignProgram] {
        try (1...40).map { id -> CampaignProgram in
            let condition: String
            switch id % 4 {
            case 0: condition = #"["couponValid"]"#
            case 1: condition = #"["exists", [".", "Session", "CartItems"], [["Item"], ["=", [".", "Item", "SKU"], "sku-\#(id % 7)"]]]"#
            case 2: condition = #"["exists", [".", "Session", "CartItems"], [["Item"], ["=", [".", "Item", "Category"], "cat-\#(id % 5)"]]]"#
            default: condition = #"[">", [".", "Session", "Total"], \#(id)]"#
            }
            let rules = [RuleDefinition(title: "r\(id)", condition: try json(condition),
                                        effects: [try json(#"["setDiscount", "d\#(id)", 1]"#)])]
            return CampaignProgram(campaignId: Int64(id), rulesetId: Int64(id), name: "c\(id)", usesCoupons: id % 4 == 0,
                                   rules: try RulesetCompiler.compile(rules, cascading: false))
        }
    }

    func session(skus: [Int], categories: [Int], codes: [String]) -> CustomerSession {
        let items = zip(skus, categories).map { sku, category in
            CartItem(name: "i", sku: "sku-\(sku)", quantity: 1, price: 20, category: "cat-\(category)")
        }
        return CustomerSession(integrationId: "s", applicationId: 1, couponCodes: codes, cartItems: items,
                               created: now, updated: now)
    }

    @Test func outcomesAreTheSameWithAndWithoutTheIndex() throws {
        let programs = try campaigns()
        let coupons = [Coupon(id: 1, campaignId: 8, value: "C8"), Coupon(id: 2, campaignId: 12, value: "C12")]
        let carts = [
            session(skus: [], categories: [], codes: []),
            session(skus: [1, 3], categories: [0, 2], codes: []),
            session(skus: [6, 6, 2], categories: [4, 1, 3], codes: ["C8"]),
            session(skus: [0], categories: [0], codes: ["C8", "C12"]),
        ]
        for cart in carts {
            var input = EvaluationInput(application: shop(), session: cart, profile: nil, campaigns: programs,
                                        coupons: coupons.filter { cart.couponCodes.contains($0.value) }, now: now)
            let visited = RuleEngine.evaluate(input)
            input.campaignIndex = CampaignIndex(programs)
            let indexed = RuleEngine.evaluate(input)
            #expect(indexed == visited)
            #expect(!indexed.effects.isEmpty || cart.cartItems.isEmpty)
        }
    }

    @Test func candidatesAreTheCampaignsThatCanApply() throws {
        let index = CampaignIndex(try campaigns())
        let cart = session(skus: [1], categories: [2], codes: [])
        let candidates = index.candidates(for: cart, couponCampaignIds: [8], referralCampaignId: nil)
        // Unconditional (id % 4 == 3), SKU sku-1 (ids 1, 29), category cat-2 (ids 2, 22), coupon campaign 8:
        // positions are ids - 1, ascending.
        let expected = Set((1...40).filter { $0 % 4 == 3 }).union([1, 29, 2, 22, 8]).sorted().map { $0 - 1 }
        #expect(candidates == expected)
        #expect(candidates.count < 40)
    }
}
