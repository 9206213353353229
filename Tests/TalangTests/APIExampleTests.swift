import Foundation
import Testing

import Talang  // not @testable: the engine sees only the public API

/// The example from the top of Talang.swift, written as the promotion engine would use it.
@Suite struct APIExampleTests {
    final class RuleScope {  // the engine's per-evaluation state
        var effects: [(name: String, value: Decimal)] = []
    }

    @Test func registerBindCompileEvaluate() throws {
        var environment = Environment.core
        environment.bind("Session", .object([
            "Total": .decimal,
            "CartItems": .list(.object(["SKU": .string, "Price": .decimal, "Quantity": .decimal])),
            "Attributes": .object([:], open: true),
        ]))
        environment.register(
            "setDiscount", Signature([.value(.string), .value(.decimal)], returns: .null),
            description: "Adds a discount effect."
        ) { arguments in
            try arguments.context(as: RuleScope.self).effects.append((try arguments.string(0), try arguments.decimal(1)))
            return .null
        }
        let condition = try Talang.compile(
            Talang.parse(json: #"["exists", [".", "Session", "CartItems"], [["Item"], [">", [".", "Item", "Price"], 100]]]"#),
            in: environment)
        let effect = try Talang.compile(
            Talang.parse(text: #"(setDiscount "10% off" (* (. Session Total) 0.1))"#), in: environment)

        let session: TalangValue = ["Total": 120, "CartItems": [["SKU": "A", "Price": 120, "Quantity": 1]], "Attributes": [:]]
        let scope = RuleScope()
        if try condition.evaluate(bindings: ["Session": session], context: scope) == true {
            _ = try effect.evaluate(bindings: ["Session": session], context: scope)
        }
        #expect(scope.effects.map(\.name) == ["10% off"])
        #expect(scope.effects.map(\.value) == [12])

        let problems = Talang.check(try Talang.parse(text: "(setDiscount 1 (. Session Totl))"), in: environment)
        #expect(problems.map(\.pointer) == ["/1", "/2/2"])
    }
}
