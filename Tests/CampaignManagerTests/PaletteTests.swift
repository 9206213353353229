@testable import CampaignManager
import Foundation
import PromotionEngine
import Testing

@Suite struct PaletteTests {
    private let context = RuleBuilder.Context(attributes: [
        AttributeDefinition(entity: .customerProfile, name: "tier", type: .string),
        AttributeDefinition(entity: .customerSession, name: "channel", type: .string),
        AttributeDefinition(entity: .customerSession, name: "visits", type: .number),
        AttributeDefinition(entity: .customerProfile, name: "joined", type: .time),
    ], timeZone: TimeZone(identifier: "Europe/Berlin")!)

    /// A value for every field of every entry, as a marketer would type it.
    private let filled = [
        "ruleTitle": "everything", "minimumTotal": "50", "itemCategory": "Shirts", "itemSku": "rdbs-1111",
        "itemCollection": "summer", "itemQuantity": "2", "cartQuantityMinimum": "3",
        "profileAttributeName": "CustomerProfile/tier", "profileAttributeComparison": "=", "profileAttributeValue": "gold",
        "sessionAttributeName": "CustomerSession/visits", "sessionAttributeComparison": ">=", "sessionAttributeValue": "2",
        "eventType": "viewed_page", "windowStart": "2026-01-01 08:00", "windowEnd": "2026-12-31T20:00", "weekday1": "on",
        "weekday5": "on", "audienceId": "7", "discount": "percentage", "amount": "20", "itemDiscountKind": "fixed",
        "itemDiscountAmount": "5", "itemDiscountCategory": "Shirts", "additionalCostName": "shipping",
        "additionalCostKind": "percentage", "additionalCostAmount": "100", "freeItemSku": "gift-1",
        "freeItemName": "A gift", "notificationType": "Info", "notificationTitle": "Hello", "notificationBody": "Welcome",
        "couponRecipient": "", "updateAttributeName": "CustomerProfile/joined",
        "updateAttributeValue": "2026-11-27T10:00:00Z", "balanceProgramId": "3", "balanceMinimum": "100",
        "earnProgramId": "3", "earnPoints": "1", "earnPer": "10", "redeemProgramId": "3", "redeemPoints": "100",
        "redeemValue": "5", "webhookId": "2", "webhookArguments": "Session.Total, hello",
    ]

    private func builder(_ values: [String: String], on keys: [String]) -> RuleBuilder {
        var builder = RuleBuilder(context: context)
        builder.values = values
        for key in keys { builder.values[key] = "on" }
        return builder
    }

    @Test func everyEntryGeneratesTalangTheRulesetCheckAccepts() throws {
        let rule = try builder(filled, on: Palette.all.map(\.key)).rule().get()
        #expect(RulesetCompiler.check([rule]).isEmpty)
        guard case .array(let parts) = rule.condition else { Issue.record("not a call"); return }
        #expect(parts.count == Palette.conditions.count + 1)
        #expect(rule.effects.count == Palette.effects.count)
        #expect(builder(filled, on: Palette.all.map(\.key)).features == [.coupons, .referrals])
    }

    @Test func eachEntryAloneChecksToo() throws {
        let effect = "notification"
        for entry in Palette.all {
            let rule = try builder(filled, on: [entry.key, effect]).rule().get()
            #expect(RulesetCompiler.check([rule]).isEmpty, "\(entry.key)")
        }
    }

    /// The loyalty and webhook entries build the calls the engine documents (docs/rules.md).
    @Test func loyaltyAndWebhookEntriesBuildTheirCalls() throws {
        let rule = try builder(filled, on: ["loyaltyBalance", "earnLoyalty", "redeemLoyalty", "webhook"]).rule().get()
        #expect(RulesetCompiler.check([rule]).isEmpty)
        let text = String(decoding: try JSONEncoder().encode([rule.condition] + rule.effects), as: UTF8.self)
        for expected in [#"[">=",["loyaltyPoints",3],100]"#,
                         #"["addLoyaltyPoints",3,["loyaltyPointsFor",[".","Session","Total"],10,1,"down"]]"#,
                         #"["redeemLoyaltyPoints",3,100,5]"#,
                         #"["triggerWebhook",2,[".","Session","Total"],"hello"]"#] {
            #expect(text.contains(expected), "\(expected) in \(text)")
        }
    }

    @Test func fieldNamesAreUniqueAcrossThePalette() {
        var names = Palette.all.map(\.key) + ["ruleTitle", "name", "state", "rules", "csrf", "mode"]
        for entry in Palette.all {
            for field in entry.fields {
                if case .weekdays = field.kind { names += (0..<7).map { "\(field.name)\($0)" } } else { names.append(field.name) }
            }
        }
        #expect(Set(names).count == names.count)
    }

    @Test func anItemCategoryAloneIsTheShapeTheEngineIndexes() throws {
        let rule = try builder(["itemCategory": "Shirts", "itemDiscountAmount": "10"], on: ["cartItem", "itemDiscount"])
            .rule().get()
        #expect(RulesetCompiler.requiredCartItem(rule.condition) == CartItemRequirement(field: .category, value: "Shirts"))
    }

    @Test func comparisonsFollowTheAttributesType() {
        var values = filled
        values["sessionAttributeName"] = "CustomerSession/channel"
        values["sessionAttributeComparison"] = ">"
        values["profileAttributeName"] = "CustomerProfile/nope"
        guard case .failure(let failure) = builder(values, on: ["sessionAttribute", "profileAttribute", "notification"])
            .rule() else { Issue.record("accepted"); return }
        #expect(failure.issues.map(\.pointer) == ["/builder/profileAttributeName", "/builder/sessionAttributeComparison"])
    }

    @Test func timesAreReadInTheApplicationsZoneAndBadOnesNamed() {
        #expect(RuleBuilder.time("2026-07-01 08:00", in: context.timeZone) == "2026-07-01T08:00:00+02:00")
        #expect(RuleBuilder.time("2026-07-01T08:00", in: TimeZone(identifier: "UTC")!) == "2026-07-01T08:00:00Z")
        #expect(RuleBuilder.offsetText(seconds: -19_800) == "-05:30")
        guard case .failure(let failure) = builder(["windowEnd": "tomorrow", "freeItemSku": "x"],
                                                   on: ["timeWindow", "freeItem"]).rule() else {
            Issue.record("accepted"); return
        }
        #expect(failure.issues.map(\.pointer) == ["/builder/windowEnd", "/builder/freeItemName"])
    }

    @Test func aRuleNeedsAnEffect() {
        guard case .failure(let failure) = builder([:], on: ["couponValid"]).rule() else { Issue.record("accepted"); return }
        #expect(failure.issues.map(\.pointer) == ["/builder/effects"])
    }
}
