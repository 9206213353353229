import Foundation
import PromotionEngine
import Testing

@Suite struct JSONTextTests {
    @Test func effectsReadBackEqualAndMatchJSONEncoder() throws {
        let origin = EffectOrigin(campaignId: 7, rulesetId: 3, ruleIndex: 1, ruleName: "say \"hi\"\\ \n\t\u{1} ünï 🎉", couponId: 9)
        let effects: [Effect] = [
            .rejectCoupon(.engine, code: "XMAS-20", reason: .couponNotFound),
            Effect(origin: origin, effectType: "customEffect", props: [
                "value": .number(Decimal(string: "24.6")!), "tiny": .number(Decimal(string: "0.000000001")!),
                "big": .number(Decimal(string: "123456789012345678901234567890")!), "negative": .number(-3),
                "list": .array([.null, .bool(true), .bool(false), .string("a/b"), .object([:])]),
                "nested": .object(["b": .string("2"), "a": .array([])]),
            ]),
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
