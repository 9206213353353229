@testable import CampaignManager
import PromotionEngine
import Testing

@Suite struct HTMLTests {
    @Test func textAndAttributesAreEscaped() {
        let page = tag("a", ["href": "/x?a=\"1\"&b='2'"]) { "<script>alert(1)</script>" }
        #expect(page.rendered
            == #"<a href="/x?a=&quot;1&quot;&amp;b=&#39;2&#39;">&lt;script&gt;alert(1)&lt;/script&gt;</a>"#)
    }

    @Test func booleanAndAbsentAttributesAndVoidElements() {
        let input = tag("input", ["required": "", "checked": nil, "value": "x"])
        #expect(input.rendered == #"<input required value="x">"#)
    }

    @Test func fingerprintsFollowTheContent() {
        #expect(Assets.fingerprint("a") != Assets.fingerprint("b"))
        #expect(Assets.stylesheetPath.hasPrefix("/assets/manager-") && Assets.stylesheetPath.hasSuffix(".css"))
    }
}

@Suite struct FormDataTests {
    @Test func decodesPlusAndPercentAndKeepsEmptyValues() {
        let form = FormData(encoded: "name=%3Cb%3E+shop&flag=&a=1&a=2&broken=%zz")
        #expect(form["name"] == "<b> shop")
        #expect(form.isChecked("flag") && !form.isChecked("missing"))
        #expect(form["a"] == "2")
        #expect(form["broken"] == "%zz")
    }
}

@Suite struct RuleBuilderTests {
    private func builder(_ fields: String) -> RuleBuilder { RuleBuilder(form: FormData(encoded: fields)) }

    @Test func theTutorialRulePassesTheRulesetCheck() throws {
        let rule = try builder("ruleTitle=20%25+off&couponValid=on&sessionDiscount=on&discount=percentage&amount=20").rule().get()
        #expect(rule.condition == .array([.string("couponValid")]))
        #expect(RulesetCompiler.check([rule]).isEmpty)
    }

    @Test func bothConditionsAndAFixedDiscount() throws {
        let rule = try builder("ruleTitle=t&couponValid=on&sessionTotal=on&minimumTotal=50.5&sessionDiscount=on&discount=fixed&amount=5").rule().get()
        guard case .array(let parts) = rule.condition else { Issue.record("not a call"); return }
        #expect(parts.first == .string("and") && parts.count == 3)
        #expect(rule.effects == [.array([.string("setDiscount"), .string("t"), .number(5)])])
        #expect(RulesetCompiler.check([rule]).isEmpty)
    }

    @Test func badFieldsAreNamed() {
        guard case .failure(let failure) = builder("sessionTotal=on&minimumTotal=abc&sessionDiscount=on&discount=percentage&amount=150").rule() else {
            Issue.record("accepted"); return
        }
        #expect(failure.issues.map(\.pointer) == ["/builder/minimumTotal", "/builder/amount"])
    }

    @Test func rulesTextRoundTripsAndLocatesTypeErrors() throws {
        let rule = try builder("ruleTitle=t&couponValid=on&sessionDiscount=on&amount=20").rule().get()
        #expect(try RulesText.decode(RulesText.encode([rule])).get() == [rule])
        guard case .failure(let failure) = RulesText.decode(#"[{"title": 1, "condition": true, "effects": []}]"#) else {
            Issue.record("accepted"); return
        }
        #expect(failure.issues.map(\.pointer) == ["/rules/0/title"])
    }
}
