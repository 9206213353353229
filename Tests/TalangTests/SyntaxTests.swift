import Foundation
import Testing

@testable import Talang

@Suite struct SyntaxTests {
    @Test func bothFormsGiveTheSameTree() throws {
        let json = try Talang.parse(json: #"["+", 1, [".", "Session", "Total"]]"#)
        let text = try Talang.parse(text: "(+ 1 (. Session Total))")
        #expect(json == text)
        #expect(json == .call("+", [.literal(1), .call(".", [.literal("Session"), .literal("Total")])]))
        #expect(json.description == "(+ 1 (. Session Total))")
        #expect(json.jsonText == #"["+",1,[".","Session","Total"]]"#)
    }

    @Test func lambdasInBothForms() throws {
        let json = try Talang.parse(json: #"["exists", [".", "L"], [["Item"], [">", [".", "Item", "Price"], 10]]]"#)
        let text = try Talang.parse(text: "(exists (. L) ((Item) (> (. Item Price) 10)))")
        #expect(json == text)
        guard case .call(_, let arguments) = json, case .lambda(let parameters, _) = arguments[1] else {
            Issue.record("no lambda")
            return
        }
        #expect(parameters == ["Item"])
    }

    @Test func textAtoms() throws {
        #expect(try Talang.parse(text: "12.50") == .literal(.decimal(Decimal(string: "12.5") ?? 0)))
        #expect(try Talang.parse(text: "-3") == .literal(-3))
        #expect(try Talang.parse(text: "true") == .literal(true))
        #expect(try Talang.parse(text: "null") == .literal(.null))
        #expect(try Talang.parse(text: "Hello") == .literal("Hello"))
        #expect(try Talang.parse(text: "\"two words\"") == .literal("two words"))
        #expect(try Talang.parse(text: "\"12\"") == .literal("12"))
        #expect(try Talang.parse(text: "1.2.3") == .literal("1.2.3"))
        #expect(try Talang.parse(text: "\"a\\\"b\"") == .literal("a\"b"))
    }

    @Test func textFormConveniences() throws {
        // A top level without parentheses is one call; `;` comments are ignored.
        #expect(try Talang.parse(text: "+ 1 2") == Talang.parse(text: "(+ 1 2)"))
        #expect(try Talang.parse(text: "(+ 1 ; one\n 2) ; done") == Talang.parse(text: "(+ 1 2)"))
        #expect(try Talang.parse("  [\"+\", 1, 2]") == Talang.parse("(+ 1 2)"))
    }

    @Test func printedTextQuotesWhatWouldReadDifferently() throws {
        let expression = TalangExpression.call("=", [.literal("12"), .literal("a b"), .literal("true"), .literal(""), .literal("x")])
        #expect(expression.description == #"(= "12" "a b" "true" "" x)"#)
        #expect(try Talang.parse(text: expression.description) == expression)
    }

    @Test func jsonNumbersAreExact() throws {
        let parsed = try Talang.parse(json: "[\"+\", 0.1, 0.2, 1e2, -5E-1, 12345678901234567890.5]")
        guard case .call(_, let arguments) = parsed else { return }
        #expect(arguments == [
            .literal(.decimal(Decimal(string: "0.1") ?? 0)), .literal(.decimal(Decimal(string: "0.2") ?? 0)),
            .literal(100), .literal(.decimal(Decimal(string: "-0.5") ?? 0)),
            .literal(.decimal(Decimal(string: "12345678901234567890.5") ?? 0)),
        ])
    }

    @Test(arguments: [
        ("", ""), ("[", ""), ("[\"+\", 1", ""), ("[1, 2]", "/0"), ("[]", ""), ("{\"a\": 1}", ""),
        ("[\"and\", [[\"x\"]]]", "/1"), ("[\"map\", [\"list\"], [[1], 2]]", "/2/0/0"), ("(+ 1", ""), (")", ""),
        ("(+ \"unterminated)", ""), ("[\"+\", 01]", ""), ("[\"+\", 1.]", ""), ("[\"+\", .5]", ""), ("nul", ""),
    ])
    func malformedInputIsAParseError(_ source: String, _ pointer: String) {
        do {
            _ = try Talang.parse(source)
            if source == "nul" { return }  // a bare word is a string in the text form
            Issue.record("parsed \(source)")
        } catch {
            #expect(error.stage == .parse)
            #expect(error.diagnostics.first?.pointer == pointer, "\(source): \(error)")
        }
    }

    @Test func depthLimitIsConfigurable() throws {
        var limits = Limits()
        limits.maxDepth = 3
        #expect(throws: TalangError.self) { try Talang.parse(json: "[\"not\", [\"not\", [\"not\", true]]]", limits: limits) }
        #expect(throws: Never.self) { try Talang.parse(json: "[\"not\", [\"not\", true]]", limits: limits) }
        // The checker enforces the environment's limit on trees built in code, too.
        var environment = Environment.core
        environment.limits.maxDepth = 3
        var deep = TalangExpression.literal(true)
        for _ in 0..<5 { deep = .call("not", [deep]) }
        #expect(Talang.check(deep, in: environment).count == 1)
    }
}
