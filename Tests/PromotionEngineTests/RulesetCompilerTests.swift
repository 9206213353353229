import Foundation
import PromotionEngine
import Synchronization
import Testing

func json(_ text: String) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
}

/// The seed tutorial's campaign as a marketer writes it in Talang.
func tutorialRules() throws -> [RuleDefinition] {
    [RuleDefinition(
        title: "20% off with any valid coupon",
        condition: try json(#"["couponValid"]"#),
        effects: [try json(#"["setDiscount", "20% off", ["*", [".", "Session", "Total"], ["/", 20, 100]]]"#)]
    )]
}

@Suite struct RulesetCompilerTests {
    @Test func findsLoyaltyCallsAtAnyDepthOfConditionsAndEffects() throws {
        let earning = RuleDefinition(title: "earn", condition: .array([.string("and"), .bool(true)]), effects: [
            .array([.string("addLoyaltyPoints"), .number(1),
                    .array([.string("loyaltyPointsFor"), .array([.string(".")]), .number(10), .number(1), .string("down")])]),
        ])
        let checking = RuleDefinition(title: "tier", condition: .array([
            .string("and"), .array([.string("="), .array([.string("loyaltyTier"), .number(1)]), .string("gold")]),
        ]), effects: [])
        let counting = RuleDefinition(title: "count", condition: .bool(true), effects: [
            .array([.string("setDiscount"), .string("d"), .array([.string("loyaltyPointsFor"), .number(5)])]),
        ])
        #expect(RulesetCompiler.calls(EngineLanguage.loyaltyFunctions, in: [counting, earning]))
        #expect(RulesetCompiler.calls(EngineLanguage.loyaltyFunctions, in: [checking]))
        #expect(!RulesetCompiler.calls(EngineLanguage.loyaltyFunctions, in: [counting]))
        #expect(!RulesetCompiler.calls(EngineLanguage.loyaltyFunctions, in: try tutorialRules()))
    }

    @Test func tutorialRuleGivesTwentyPercentOf123() throws {
        let program = CampaignProgram(
            campaignId: 10, rulesetId: 100, name: "xmas", usesCoupons: true,
            rules: try RulesetCompiler.compile(tutorialRules(), cascading: false)
        )
        let outcome = evaluate(tutorialSession(), campaigns: [program], coupons: [Coupon(id: 7, campaignId: 10, value: "xmas20")])
        #expect(outcome.effects.map(\.type) == [.acceptCoupon, .setDiscount])
        #expect(discountValues(outcome) == [Decimal(string: "24.6")!])
    }

    @Test func rulesSeeCartItemsThroughLambdas() throws {
        let rules = [RuleDefinition(
            title: "trousers in the cart",
            condition: try json(#"["exists", [".", "Session", "CartItems"], [["Item"], ["=", [".", "Item", "Category"], "Trousers"]]]"#),
            effects: [try json(#"["setDiscountPerItem", "5 off trousers", 5, 1]"#)]
        )]
        let program = CampaignProgram(campaignId: 1, rulesetId: 1, name: "t",
                                      rules: try RulesetCompiler.compile(rules, cascading: false))
        let outcome = evaluate(tutorialSession(codes: []), campaigns: [program])
        #expect(outcome.effects.map(\.type) == [.setDiscountPerItem])
        #expect(outcome.effects.first?.kind.props["position"] == .number(1))
    }

    @Test func createCouponAnnouncesACouponForTheRecipient() throws {
        let rules = [RuleDefinition(
            title: "thank you coupon",
            condition: try json(#"[">", [".", "Session", "Total"], 100]"#),
            effects: [try json(#"["createCoupon", ""]"#), try json(#"["createCoupon", "friend-1"]"#)]
        )]
        let program = CampaignProgram(campaignId: 3, rulesetId: 1, name: "thanks",
                                      rules: try RulesetCompiler.compile(rules, cascading: false))
        let counter = Mutex(0)
        var input = EvaluationInput(application: shop(), session: tutorialSession(codes: [], profileId: "p-1"),
                                    profile: nil, campaigns: [program], coupons: [], now: now)
        input.newCouponCode = { "CODE-\(counter.withLock { $0 += 1; return $0 })" }
        let outcome = RuleEngine.evaluate(input)
        #expect(outcome.effects.map(\.type) == [.couponCreated, .couponCreated])
        #expect(outcome.effects.map { $0.kind.props["value"] } == [.string("CODE-1"), .string("CODE-2")])
        #expect(outcome.effects.map { $0.kind.props["profileId"] } == [.string("p-1"), .string("friend-1")])
        #expect(outcome.effects.allSatisfy { $0.campaignId == 3 })
    }

    @Test func createCouponStaysWithinTheCampaignsBudget() throws {
        let rules = [RuleDefinition(
            title: "two coupons", condition: try json(#"["=", 1, 1]"#),
            effects: [try json(#"["createCoupon", ""]"#), try json(#"["createCoupon", "friend"]"#),
                      try json(#"["setDiscount", "5 off", 5]"#)]
        )]
        let program = CampaignProgram(campaignId: 3, rulesetId: 1, name: "thanks",
                                      limits: [LimitConfig(action: .createCoupon, limit: 10)],
                                      rules: try RulesetCompiler.compile(rules, cascading: false))
        var counters = CampaignCounters()
        counters.couponCreationCount = 9
        let outcome = RuleEngine.evaluate(EvaluationInput(
            application: shop(), session: tutorialSession(codes: [], profileId: "p-1"), profile: nil,
            campaigns: [program], coupons: [], campaignCounters: [3: counters], now: now
        ))
        // One coupon left in the budget: the second createCoupon is left out, the discount still applies.
        #expect(outcome.effects.map(\.type) == [.couponCreated, .setDiscount])
    }

    @Test func badRulesAreRefusedWithPointers() throws {
        let rules = [
            RuleDefinition(title: "typo", condition: try json(#"["and", ["couponValid"], [">", [".", "Session", "Totl"], 100]]"#),
                           effects: [try json(#"["setDiscount", "x", "not a number"]"#)]),
            RuleDefinition(title: "", condition: try json(#"["noSuchFunction", 1]"#), effects: []),
        ]
        let issues = RulesetCompiler.check(rules)
        let pointers = issues.map(\.pointer)
        #expect(pointers.contains { $0.hasPrefix("/rules/0/condition/2/1") }, "\(issues)")
        #expect(pointers.contains { $0.hasPrefix("/rules/0/effects/0") }, "\(issues)")
        #expect(pointers.contains("/rules/1/title"))
        #expect(pointers.contains { $0.hasPrefix("/rules/1/condition") }, "\(issues)")
        #expect(throws: ValidationFailure.self) { try RulesetCompiler.compile(rules, cascading: false) }
    }

    @Test func conditionsAndEffectsMustBeTalangCalls() throws {
        // Talon.One's `Rule` declares both as arrays: a bare `true` or a string is refused where it stands.
        let rules = [RuleDefinition(title: "bare", condition: .bool(true), effects: []),
                     RuleDefinition(title: "string effect", condition: try json(#"["and", true]"#),
                                    effects: [.string("setDiscount")])]
        let pointers = RulesetCompiler.check(rules).map(\.pointer)
        #expect(pointers == ["/rules/0/condition", "/rules/1/effects/0"])
    }

    @Test func effectsInConditionsAreRefused() throws {
        let rules = [RuleDefinition(title: "sneaky", condition: try json(#"["do", ["setDiscount", "x", 1], [["v"], true]]"#),
                                    effects: [])]
        #expect(RulesetCompiler.check(rules).contains { $0.pointer == "/rules/0/condition/1" })
    }

    @Test func profileAndSessionAttributesAreOpen() throws {
        let rules = [RuleDefinition(
            title: "VIP",
            condition: try json(#"["=", [".", "Profile", "Attributes", "Tier"], "gold"]"#),
            effects: [try json(#"["setDiscount", "VIP", 10]"#)]
        )]
        #expect(RulesetCompiler.check(rules).isEmpty)
        let program = CampaignProgram(campaignId: 1, rulesetId: 1, name: "vip",
                                      rules: try RulesetCompiler.compile(rules, cascading: false))
        let profile = CustomerProfile(integrationId: "p", accountId: 1, applicationId: 1,
                                      attributes: ["Tier": .string("gold")], created: now, lastActivity: now)
        let outcome = RuleEngine.evaluate(EvaluationInput(
            application: shop(), session: tutorialSession(codes: []), profile: profile, campaigns: [program],
            coupons: [], now: now
        ))
        #expect(discountValues(outcome) == [10])
        // Without the attribute the condition fails to evaluate: the rule does not fire, nothing crashes.
        let anonymous = evaluate(tutorialSession(codes: []), campaigns: [program])
        #expect(anonymous.effects.isEmpty)
    }
}

@Suite struct CouponPrefilterTests {
    @Test func rulesThatNeedACouponAreRecognised() throws {
        #expect(RulesetCompiler.requiresCoupon(try json(#"["couponValid"]"#)))
        #expect(RulesetCompiler.requiresCoupon(try json(#"["and", [">", 1, 0], ["couponValid"]]"#)))
        #expect(!RulesetCompiler.requiresCoupon(try json(#"["or", ["couponValid"], [">", 1, 0]]"#)))
        #expect(!RulesetCompiler.requiresCoupon(try json(#"["not", ["couponValid"]]"#)))
    }

    @Test func skippingThemChangesNothingForSessionsWithoutCoupons() throws {
        let rules = [
            RuleDefinition(title: "coupon", condition: try json(#"["and", ["couponValid"], [">", [".", "Session", "Total"], 0]]"#),
                           effects: [try json(#"["setDiscount", "c", 1]"#)]),
            RuleDefinition(title: "no coupon", condition: try json(#"["not", ["couponValid"]]"#),
                           effects: [try json(#"["setDiscount", "n", 2]"#)]),
        ]
        let program = CampaignProgram(campaignId: 1, rulesetId: 1, name: "p", usesCoupons: true,
                                      rules: try RulesetCompiler.compile(rules, cascading: false))
        #expect(discountValues(evaluate(tutorialSession(codes: []), campaigns: [program])) == [2])
    }
}

@Suite struct CartIndexTests {
    @Test func cartItemRequirementsAreRecognised() throws {
        let exists = #"["exists", [".", "Session", "CartItems"], [["Item"], ["=", [".", "Item", "Category"], "Shoes"]]]"#
        #expect(RulesetCompiler.requiredCartItem(try json(exists)) == CartItemRequirement(field: .category, value: "Shoes"))
        #expect(RulesetCompiler.requiredCartItem(try json(#"["and", ["couponValid"], \#(exists)]"#))?.value == "Shoes")
        let reversed = #"["exists", [".", "Session", "CartItems"], [["I"], ["=", "sku-1", [".", "I", "SKU"]]]]"#
        #expect(RulesetCompiler.requiredCartItem(try json(reversed)) == CartItemRequirement(field: .sku, value: "sku-1"))
        #expect(RulesetCompiler.requiredCartItem(try json(#"["or", \#(exists), true]"#)) == nil)
        #expect(RulesetCompiler.requiredCartItem(try json(#"["exists", [".", "Session", "CartItems"], [["Item"], [">", [".", "Item", "Price"], 5]]]"#)) == nil)
    }

    @Test func theIndexNeverChangesAnOutcome() throws {
        let categories = ["Shirts", "Trousers", "Shoes"]
        let rules = categories.map { category in
            RuleDefinition(
                title: category,
                condition: try! json(#"["and", [">", [".", "Session", "Total"], 10], ["exists", [".", "Session", "CartItems"], [["Item"], ["=", [".", "Item", "Category"], "\#(category)"]]]]"#),
                effects: [try! json(#"["setDiscount", "\#(category)", 1]"#)]
            )
        }
        let indexed = try RulesetCompiler.compile(rules, cascading: false)
        var unindexed = indexed
        for index in unindexed.indices { unindexed[index].requiredCartItem = nil }
        #expect(indexed.allSatisfy { $0.requiredCartItem != nil })
        for cart in [tutorialSession(codes: []), CustomerSession(integrationId: "s", applicationId: 1, created: now, updated: now)] {
            let withIndex = evaluate(cart, campaigns: [CampaignProgram(campaignId: 1, rulesetId: 1, name: "a", rules: indexed)])
            let without = evaluate(cart, campaigns: [CampaignProgram(campaignId: 1, rulesetId: 1, name: "a", rules: unindexed)])
            #expect(withIndex == without)
        }
        #expect(discountValues(evaluate(tutorialSession(codes: []), campaigns: [CampaignProgram(campaignId: 1, rulesetId: 1, name: "a", rules: indexed)])) == [1, 1])
    }
}
