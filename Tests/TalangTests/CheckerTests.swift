import Foundation
import Testing

@testable import Talang

@Suite struct CheckerTests {
    let environment: Environment = {
        var environment = Environment.core
        environment.bind("Session", .object(["Total": .decimal, "Tags": .list(.string), "Custom": .any]))
        return environment
    }()

    @Test func inferredTypes() throws {
        func type(_ source: String) throws -> TalangType {
            try Talang.compile(Talang.parse(source), in: environment).type
        }
        #expect(try type("(+ 1 2)") == .decimal)
        #expect(try type("(+ \"a\" \"b\")") == .string)
        #expect(try type("(list 1 2)") == .list(.decimal))
        #expect(try type("(list 1 \"a\")") == .list(.any))
        #expect(try type("(head (. Session Tags))") == .string)
        #expect(try type("(map (. Session Tags) ((t) (+ (. t) \"!\")))") == .list(.string))
        #expect(try type("(map (list 1) ((x) (> (. x) 0)))") == .list(.boolean))
        #expect(try type("(if true 1 2)") == .decimal)
        #expect(try type("(. Session Custom Anything Deeper)") == .any)
        #expect(try type("(kv (A 1) (B \"x\"))") == .object(["A": .decimal, "B": .string]))
        #expect(try type("(parseTime \"2026-01-01T00:00:00Z\")") == .time)
    }

    @Test func overloadsResolveByArgumentTypes() throws {
        #expect(try Eval.run("(+ \"a\" \"b\")") == "ab")
        #expect(try Eval.run("(< 1 2)") == true)
        #expect(try Eval.run("(< 2026-01-01T00:00:00Z 2025-01-01T00:00:00Z)") == false)
        #expect(try Eval.run("(sort (list 3 1 2) true)") == [3, 2, 1])
        #expect(try Eval.run("(sum (list 1 2))") == 3)
    }

    @Test func anyIsCheckedAtRunTime() throws {
        let bindings: [String: TalangValue] = ["Session": ["Total": 1, "Tags": [], "Custom": ["Level": "high"]]]
        #expect(try Eval.run("(= (. Session Custom Level) \"high\")", bindings: bindings, in: environment) == true)
        #expect(throws: TalangError.self) {
            try Eval.run("(> (. Session Custom Level) 1)", bindings: bindings, in: environment)
        }
        // `+` on `any` strings still concatenates.
        #expect(try Eval.run("(+ (. Session Custom Level) \"!\")", bindings: bindings, in: environment) == "high!")
    }

    @Test func everyErrorIsReportedWithItsPointer() {
        let diagnostics = Eval.diagnostics(
            #"["or", ["+"], ["unknown", ["also unknown"]], [">", "x", 1], [".", "Sessio"], [".", "Session", "Totals"], ["not", 1, 2], ["exists", [".", "Session", "Tags"], [["t"], ["+", [".", "t"], 1]]]]"#,
            in: environment)
        #expect(diagnostics.map(\.pointer) == ["/1", "/2", "/2/1", "/3", "/4/1", "/5/2", "/6", "/7/2/1"])
        for diagnostic in diagnostics { #expect(!diagnostic.message.isEmpty) }
    }

    @Test func messagesSayWhatIsWrong() {
        #expect(Eval.diagnostics("(nope)", in: environment).first?.message == "unknown function `nope`")
        #expect(Eval.diagnostics("(not)", in: environment).first?.message == "`not` takes 1 arguments, got 0")
        #expect(Eval.diagnostics("(not 1)", in: environment).first?.message == "argument 1 of `not` must be boolean, got decimal")
        #expect(Eval.diagnostics("(. Session Total Cents)", in: environment).first?.message
            == "`Session.Total` is decimal and has no attributes")
        #expect(Eval.diagnostics("(. Nope)", in: environment).first?.message.hasPrefix("unknown binding `Nope`") == true)
    }

    @Test func lambdaScopesDoNotLeak() {
        #expect(Eval.diagnostics("(list (map (list 1) ((x) (. x))) (. x))", in: environment).map(\.pointer) == ["/2/1"])
    }

    @Test func lambdaParametersShadowBindings() throws {
        #expect(try Eval.run("(map (list 1 2) ((Session) (* (. Session) 2)))", bindings: [:], in: environment) == [2, 4])
    }

    @Test func literalTimesAreConvertedOnce() throws {
        #expect(try Eval.run("(after \"2026-01-02T00:00:00Z\" 2026-01-01T00:00:00+01:00)") == true)
        #expect(!Eval.diagnostics("(after \"2026-01-02\" \"not a time\")", in: environment).isEmpty)
    }

    @Test func setVariables() throws {
        #expect(try Eval.run("(list (set X 2) (set X (* (. X) 5)) (. X))") == [.null, .null, 10])
        // Read before set (the branch did not run): a run-time error, not a crash.
        #expect(throws: TalangError.self) { try Eval.run("(list (or true (= (set Y 1) null)) (. Y))") }
    }
}
