import Foundation
import Testing

@testable import Talang

/// Every documented example of every function is run, so docs/talang.md states facts.
@Suite struct LibraryExampleTests {
    static let examples: [(signature: String, example: Example)] = Environment.core.allDefinitions.flatMap { definition in
        definition.examples.map { ("\(definition.name)\(definition.signature)", $0) }
    }

    @Test(arguments: examples.indices)
    func documentedExampleHolds(_ index: Int) throws {
        let (signature, example) = Self.examples[index]
        guard example.isVerified else {
            #expect(Talang.check(try Talang.parse(example.expression), in: .core).isEmpty, "\(signature)")
            return
        }
        let result = Eval.json(example.expression)
        if let expected = example.result {
            let expectedValue = try TalangValue(jsonText: expected)
            #expect(result == expectedValue.jsonText, "\(signature): \(example.expression)")
        } else {
            #expect(result.hasPrefix("error"), "\(signature): \(example.expression) should fail, gave \(result)")
        }
    }

    /// The whole core library of the reference implementation (and a few additions) is declared,
    /// and every function is documented with at least one example.
    @Test func everyCoreFunctionIsDeclaredWithExamples() {
        let required = """
            + - * / mod ceil floor round = != < <= > >= between and or not ! if contains notContains startsWith \
            endsWith ~ split join toString firstName lastName concat list append push head tail drop item count \
            isEmpty reverse sort sortByNumber sortByString min max sum map filter every exists kv . .| parseTime \
            formatTime addDuration subDuration after before betweenTimes daysBetween days hour minute month \
            monthDay weekday year date matchTime catch do set noop
            """.split(separator: " ").map(String.init)
        for name in required {
            let definitions = Environment.core.functions[name] ?? []
            #expect(!definitions.isEmpty, "\(name) is not declared")
            #expect(definitions.contains { !$0.examples.isEmpty }, "\(name) has no example")
            #expect(definitions.allSatisfy { !$0.description.isEmpty }, "\(name) has no description")
        }
    }
}
