import Foundation
import PromotionEngine
import Testing

@Suite struct JSONTextTests {
    @Test func effectsReadBackEqualAndMatchJSONEncoder() throws {
        let origin = EffectOrigin(campaignId: 7, rulesetId: 3, ruleIndex: 1, ruleName: "say \"hi\"\\ \n\t\u{1} ünï 🎉", couponId: 9)
        let effects: [Effect] = [
            .rejectCoupon(.engine, code: "XMAS-20", reason: .couponNotFound),
            .customEffect(origin, effectId: 4, name: "payload", payload: .object([
                "value": .number(Decimal(string: "24.6")!), "tiny": .number(Decimal(string: "0.000000001")!),
                "big": .number(Decimal(string: "123456789012345678901234567890")!), "negative": .number(-3),
                "list": .array([.null, .bool(true), .bool(false), .string("a/b"), .object([:])]),
                "nested": .object(["b": .string("2"), "a": .array([])]),
            ])),
            .setDiscount(origin, name: "10%", value: Decimal(string: "12.3")!, desired: 20, scope: .cartItems),
            .setDiscountPerItem(origin, name: "item", value: 1, desired: 1, position: 2),
            .setDiscountPerAdditionalCost(origin, name: "ship", additionalCost: "shipping", additionalCostId: 0,
                                          value: 5, desired: 5),
            .rollbackDiscount(origin, name: "item", value: 1, cartItemPosition: 2),
            .rejectCoupon(origin, code: "A", reason: .couponPartOfNotTriggeredCampaign, exclusion: .campaignIsNotFirst),
            .acceptCoupon(origin, code: "B"), .rollbackCoupon(origin, code: "B"),
            .couponCreated(origin, code: "NEW", profileId: nil), .addFreeItem(origin, sku: "s", name: "n"),
            .showNotification(origin, type: "info", title: "t", body: "b"),
            .updateAttribute(origin, path: "Profile.Attributes.Tier", value: .string("gold")),
        ]
        let text = JSONText.effects(effects)
        let decoded = try JSONDecoder().decode([Effect].self, from: Data(text.utf8))
        #expect(decoded == effects)
        // Same document as the sorted-keys JSONEncoder the store used before (so stored rows compare equal).
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let reference = try JSONDecoder().decode(JSONValue.self, from: encoder.encode(effects))
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) == reference)
    }
}

@Suite struct EffectVocabularyTests {
    @Test func everyEmittedKindHasPropsTheSpecRequires() throws {
        // The spec's required props per effect type (integration-api, IntegrationStateV2.effects[].props).
        let required: [EffectType: Set<String>] = [
            .acceptCoupon: ["value"], .rejectCoupon: ["value", "rejectionReason"], .rollbackCoupon: ["value"],
            .couponCreated: ["value", "profileId"], .setDiscount: ["name", "value"],
            .setDiscountPerItem: ["name", "value", "position"],
            .setDiscountPerAdditionalCost: ["name", "value", "additionalCostId", "additionalCost"],
            .rollbackDiscount: ["name", "value"], .addFreeItem: ["sku", "name"],
            .showNotification: ["notificationType", "title", "body"], .updateAttribute: ["path", "value"],
            .customEffect: ["effectId", "name", "payload"], .triggerWebhook: ["webhookId", "webhookName"],
        ]
        let origin = EffectOrigin.engine
        let kinds: [EffectKind] = [
            .acceptCoupon(code: "A"), .rejectCoupon(.init(code: "A", reason: .couponExpired)), .rollbackCoupon(code: "A"),
            .couponCreated(code: "A", profileId: ""),
            .setDiscount(.init(name: "n", value: 1, desiredValue: 1, scope: .sessionTotal)),
            .setDiscountPerItem(.init(name: "n", value: 1, desiredValue: 1, position: 0)),
            .setDiscountPerAdditionalCost(.init(name: "n", value: 1, desiredValue: 1, additionalCost: "c", additionalCostId: 0)),
            .rollbackDiscount(.init(name: "n", value: 1, scope: .sessionTotal)), .addFreeItem(sku: "s", name: "n"),
            .showNotification(type: "t", title: "t", body: "b"), .updateAttribute(path: "p", value: .null),
            .customEffect(effectId: 0, name: "n", payload: .object([:])),
            .triggerWebhook(.init(webhookId: 7, webhookName: "My Webhook")),
        ]
        #expect(Set(kinds.map(\.type)) == Set(required.keys))
        for kind in kinds {
            #expect(required[kind.type]!.isSubset(of: kind.props.keys), "\(kind.type)")
            #expect(try EffectKind(type: kind.type, props: kind.props) == kind)
            _ = Effect(origin: origin, kind: kind)
        }
    }

    @Test func oneClassificationDecidesDiscountsRejectionsAndCounters() {
        #expect(EffectType.allCases.filter(\.isDiscount) == [
            .setDiscount, .setDiscountPerItem, .setDiscountPerAdditionalCost, .setDiscountPerAdditionalCostPerItem,
        ])
        #expect(EffectType.allCases.filter(\.isRejection) == [.rejectCoupon, .rejectReferral])
        #expect(EffectType.allCases.count == 35)  // every effect type of Talon.One's spec
        for type in EffectType.allCases where type.isDiscount { #expect(type.budgetAction == .setDiscount) }
        #expect(EffectType.couponCreated.budgetAction == .createCoupon)
        #expect(EffectType.acceptCoupon.budgetAction == nil)  // redemptions count through accepted coupons
    }

    @Test func storedCouponCreatedEffectsOfOlderVersionsStillRead() throws {
        let old = #"{"campaignId":1,"effectType":"couponCreated","props":{"couponValue":"X-1","profileId":"p"},"ruleIndex":0,"ruleName":"r","rulesetId":2}"#
        let effect = try JSONDecoder().decode(Effect.self, from: Data(old.utf8))
        #expect(effect.kind == .couponCreated(code: "X-1", profileId: "p"))
    }
}

@Suite struct EventTypeTests {
    @Test func builtInAndCustomTypesKeepTheirNames() {
        for name in ["talon_session_closed", "talon_profile_updated", "talon_session_partially_returned", "review"] {
            #expect(EventType(rawValue: name).rawValue == name)
        }
        #expect(EventType(rawValue: "talon_session_cancelled") == .sessionCancelled)
        #expect(EventType(rawValue: "review") == .custom("review"))
    }
}
