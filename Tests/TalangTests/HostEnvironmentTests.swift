import Foundation
import Testing

@testable import Talang

/// How the promotion engine uses Talang: register functions with side effects and typed root
/// bindings, compile once, evaluate per request with a per-evaluation context.
@Suite struct HostEnvironmentTests {
    /// Stands in for the engine's rule scope: mutable, per evaluation, not Sendable.
    final class EffectCollector {
        var effects: [String] = []
        var couponIsValid = true
    }

    static let environment: Environment = {
        var environment = Environment.core
        environment.bind(
            "Session",
            .object([
                "Total": .decimal,
                "CartItems": .list(.object(["SKU": .string, "Price": .decimal, "Quantity": .decimal])),
                "Attributes": .object(["ShippingRegion": .string], open: true),
            ]),
            description: "The customer session being evaluated.")
        environment.bind("Profile", .object(["Attributes": .map(.any)]))
        environment.register(
            "couponValid", Signature([], returns: .boolean), description: "Whether the session's coupon is valid.",
            category: "Effects"
        ) { arguments in
            .boolean(try arguments.context(as: EffectCollector.self).couponIsValid)
        }
        environment.register(
            "setDiscount", Signature([.value(.string), .value(.decimal)], returns: .null),
            Signature([.value(.string), .value(.decimal), .value(.string)], returns: .null),
            description: "Adds a discount effect (name, value[, scope])."
        ) { arguments in
            let collector = try arguments.context(as: EffectCollector.self)
            let scope = arguments.count > 2 ? try arguments.string(2) : "session"
            collector.effects.append("\(try arguments.string(0))=\(try arguments.decimal(1))@\(scope)")
            return .null
        }
        return environment
    }()

    static let session: TalangValue = [
        "Total": 200,
        "CartItems": [["SKU": "A", "Price": 150, "Quantity": 1], ["SKU": "B", "Price": 25, "Quantity": 2]],
        "Attributes": ["ShippingRegion": "EU", "Channel": "web"],
    ]

    @Test func hostFunctionPushesEffectsThroughTheContext() throws {
        let rule = try Talang.compile(
            Talang.parse(json: #"["setDiscount", "20% off", ["*", [".", "Session", "Total"], ["/", 20, 100]]]"#),
            in: Self.environment)
        let collector = EffectCollector()
        let result = try rule.evaluate(bindings: ["Session": Self.session], context: collector)
        #expect(result == .null)
        #expect(collector.effects == ["20% off=40@session"])
    }

    @Test func overloadedHostFunctionPicksByArity() throws {
        let rule = try Talang.compile(Talang.parse(text: "(setDiscount \"ship\" 5 \"additionalCosts\")"), in: Self.environment)
        let collector = EffectCollector()
        _ = try rule.evaluate(context: collector)
        #expect(collector.effects == ["ship=5@additionalCosts"])
    }

    @Test func conditionUsesHostFunctionAndSchema() throws {
        let condition = try Talang.compile(
            Talang.parse(json: #"""
                ["and", ["couponValid"], [">", [".", "Session", "Total"], 100],
                 ["exists", [".", "Session", "CartItems"], [["Item"], ["=", [".", "Item", "SKU"], "B"]]],
                 ["=", [".", "Session", "Attributes", "Channel"], "web"]]
                """#), in: Self.environment)
        #expect(condition.type == .boolean)
        let collector = EffectCollector()
        #expect(try condition.evaluate(bindings: ["Session": Self.session], context: collector) == true)
        collector.couponIsValid = false
        #expect(try condition.evaluate(bindings: ["Session": Self.session], context: collector) == false)
    }

    @Test func missingContextIsAnErrorNotACrash() throws {
        let rule = try Talang.compile(Talang.parse(text: "(couponValid)"), in: Self.environment)
        #expect(throws: TalangError.self) { try rule.evaluate() }
        #expect(throws: TalangError.self) { try rule.evaluate(context: "not a collector") }
    }

    @Test func hostErrorsKeepTheUnderlyingError() throws {
        struct Refused: Error {}
        var environment = Self.environment
        environment.register("refuse", Signature([], returns: .boolean), description: "Always fails.") { _ in throw Refused() }
        let rule = try Talang.compile(Talang.parse(json: #"["and", true, ["refuse"]]"#), in: environment)
        do {
            _ = try rule.evaluate()
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.first?.pointer == "/2")
            #expect(error.underlying is Refused)
        }
    }

    @Test func checkerKnowsTheHostSchema() throws {
        let diagnostics = Eval.diagnostics(
            #"["and", ["couponValid", 1], [".", "Session", "CartItems", "SKU"], ["setDiscount", "x", "y"], [".", "Session", "Attributes", "Anything"], [".", "Profile", "Attributes", "X", "Y"]]"#,
            in: Self.environment)
        #expect(diagnostics.map(\.pointer) == ["/1", "/2/3", "/3/2"])
        #expect(diagnostics[1].message.contains("list"))
    }

    @Test func lambdaParametersAreTypedFromTheList() {
        let diagnostics = Eval.diagnostics(
            #"["exists", [".", "Session", "CartItems"], [["Item"], [">", [".", "Item", "Prise"], 10]]]"#,
            in: Self.environment)
        #expect(diagnostics == [TalangDiagnostic(pointer: "/2/1/1/2", message: "`Item` has no attribute `Prise`")])
    }

    @Test func hostCanOverrideACoreFunction() throws {
        var environment = Environment.core
        environment.register(
            "noop", Signature([], returns: .null), description: "Counts calls instead."
        ) { arguments in
            try arguments.context(as: EffectCollector.self).effects.append("noop")
            return .null
        }
        let collector = EffectCollector()
        _ = try Talang.compile(Talang.parse(text: "(noop)"), in: environment).evaluate(context: collector)
        #expect(collector.effects == ["noop"])
        #expect(environment.functions["noop"]?.count == 1)
    }

    @Test func pureCallsWithConstantArgumentsAreComputedOnceAtCompileTime() throws {
        final class Counter: @unchecked Sendable {
            var calls = 0  // only touched on this test's task
        }
        let counter = Counter()
        var environment = Environment.core
        environment.register(
            FunctionDefinition(
                name: "vat", signature: Signature([.value(.decimal)], returns: .decimal), description: "Adds 20%.",
                isPure: true
            ) { arguments in
                counter.calls += 1
                return .decimal(try arguments.decimal(0) * Decimal(string: "1.2")!)
            })
        let compiled = try Talang.compile(Talang.parse(text: "(+ (vat (* 10 10)) (vat (. Session Total)))"), in: environment
            .with(binding: "Session", .object(["Total": .decimal])))
        #expect(counter.calls == 1)
        #expect(try compiled.evaluate(bindings: ["Session": ["Total": 10]]) == 132)
        #expect(counter.calls == 2)
        // A folded call that fails is left to fail at run time, with its pointer.
        let failing = try Talang.compile(Talang.parse(json: #"["+", 1, ["/", 1, 0]]"#), in: .core)
        #expect(throws: TalangError.self) { try failing.evaluate() }
    }

    @Test func compiledExpressionsAreSharedAcrossTasks() async throws {
        let rule = try Talang.compile(
            Talang.parse(json: #"["sum", [".", "Session", "CartItems"], [["Item"], ["*", [".", "Item", "Price"], [".", "Item", "Quantity"]]]]"#),
            in: Self.environment)
        let results = await withTaskGroup(of: TalangValue?.self) { group in
            for _ in 0..<16 {
                group.addTask { try? rule.evaluate(bindings: ["Session": Self.session]) }
            }
            var results: [TalangValue?] = []
            for await result in group { results.append(result) }
            return results
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 == 200 })
    }

    @Test func valuesConvertToAndFromJSON() throws {
        let value = try TalangValue(jsonText: #"{"Total": 0.1, "Items": [1, "a", true, null], "Big": 12345678901234567890.123}"#)
        #expect(value.mapValue?["Total"] == .decimal(Decimal(string: "0.1") ?? 0))
        #expect(value.jsonText == #"{"Big":12345678901234567890.123,"Items":[1,"a",true,null],"Total":0.1}"#)
        #expect(try TalangValue(jsonText: value.jsonText) == value)
        #expect(TalangValue.time(TalangTime(rfc3339: "2026-11-24T10:00:00+01:00")!).jsonText == "\"2026-11-24T10:00:00+01:00\"")
        #expect(TalangValue.string("a\"b\\c\n\u{01}").jsonText == #""a\"b\\c\n\u0001""#)
        #expect(throws: TalangError.self) { try TalangValue(jsonText: "12abc") }
        #expect(throws: TalangError.self) { try TalangValue(jsonText: "1e-200") }
        #expect(throws: TalangError.self) { try TalangValue(jsonText: "[1,]") }
        #expect(throws: TalangError.self) { try TalangValue(jsonText: "\"\\ud800\"") }
        #expect(try TalangValue(jsonText: "\"\\ud83c\\udf89\"") == "🎉")
    }
}
