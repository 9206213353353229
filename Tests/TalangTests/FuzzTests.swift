import Foundation
import Testing

@testable import Talang

/// Throws random expressions — well-formed, ill-typed, mangled — at parse, check, compile and
/// evaluate. Each must end in a value or a `TalangError`; a crash fails the whole run. Seeded,
/// so a failure reproduces.
@Suite struct FuzzTests {
    /// SplitMix64: small, fast, deterministic.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let names: [String] = Array(Environment.core.functions.keys).sorted() + ["nope", "", "Session", "Item"]
    static let strings = [
        "", "a", "Session", "Item", "Total", "CartItems", "SKU", "Price", "2026-11-24T10:00:00Z", "2026-02-30T00:00:00Z",
        "days", "hours", "YYYY-MM-DD", "(a+)+", "[", "\\", "🎉", " ", ",", "x y", "dd/MM/yyyy", "-1", "1e5",
    ]
    static let numbers = [
        "0", "1", "-1", "0.1", "2", "100", "1e127", "-1e127", "1e-100", "123456789012345678901234567890", "0.5", "9999999999",
        "3.14159", "-0", "1e38",
    ]

    var environment: Environment = {
        var environment = Environment.core
        environment.bind(
            "Session",
            .object([
                "Total": .decimal, "CartItems": .list(.object(["SKU": .string, "Price": .decimal])),
                "Attributes": .object([:], open: true),
            ]))
        return environment
    }()

    let bindings: [String: TalangValue] = [
        "Session": [
            "Total": 120, "CartItems": [["SKU": "a", "Price": 1], ["SKU": "b", "Price": 2]],
            "Attributes": ["Tier": "gold", "Since": "2020-01-01T00:00:00Z", "Score": 7],
        ]
    ]

    func atom(_ rng: inout Generator) -> String {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0, 1: return Self.numbers.randomElement(using: &rng) ?? "0"
        case 2, 3: return TalangValue.string(Self.strings.randomElement(using: &rng) ?? "").jsonText
        case 4: return Bool.random(using: &rng) ? "true" : "false"
        default: return Bool.random(using: &rng) ? "null" : "{\"a\":1}"
        }
    }

    /// A random JSON-form expression, mostly calls of real functions with plausible arguments.
    func expression(_ rng: inout Generator, depth: Int) -> String {
        if depth <= 0 || Int.random(in: 0..<4, using: &rng) == 0 { return atom(&rng) }
        switch Int.random(in: 0..<10, using: &rng) {
        case 0:
            let path = (0..<Int.random(in: 0..<3, using: &rng)).map { _ in
                TalangValue.string(["Total", "CartItems", "Attributes", "Tier", "Since", "Price", "x"].randomElement(using: &rng) ?? "").jsonText
            }
            return "[\".\"," + ([TalangValue.string(["Session", "Item", "X"].randomElement(using: &rng) ?? "").jsonText] + path).joined(separator: ",") + "]"
        case 1:
            return "[[\"Item\"]," + expression(&rng, depth: depth - 1) + "]"
        case 2:
            return "[\(expression(&rng, depth: depth - 1))]"
        default:
            let name = TalangValue.string(Self.names.randomElement(using: &rng) ?? "").jsonText
            let arguments = (0..<Int.random(in: 0..<5, using: &rng)).map { _ in expression(&rng, depth: depth - 1) }
            return "[" + ([name] + arguments).joined(separator: ",") + "]"
        }
    }

    /// Deletes, duplicates or replaces a few bytes, so the parsers see broken input too.
    func mangle(_ text: String, _ rng: inout Generator) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
            let index = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: bytes.remove(at: index)
            case 1: bytes.insert(bytes[index], at: index)
            default: bytes[index] = Array("[]\"(),.\\ 0e-".utf8).randomElement(using: &rng) ?? 0
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// How far a case got, to keep the generator honest (most cases should reach the checker,
    /// and a fair share evaluation).
    enum Outcome { case parseError, checkError, evaluationError, value }

    @discardableResult
    func exercise(_ source: String) -> Outcome {
        // Every outcome is acceptable except a crash; typed throws guarantee the error type.
        do {
            let expression = try Talang.parse(source)
            let diagnostics = Talang.check(expression, in: environment)
            let compiled = try Talang.compile(expression, in: environment)
            #expect(diagnostics.isEmpty)
            let value = try compiled.evaluate(bindings: bindings, now: Eval.fixedNow)
            _ = value.jsonText
            _ = TalangExpression.call("list", []).description
            _ = expression.description
            return .value
        } catch {
            #expect(!error.diagnostics.isEmpty)
            switch error.stage {
            case .parse: return .parseError
            case .check: return .checkError
            case .evaluation: return .evaluationError
            }
        }
    }

    @Test func randomExpressionsOnlyProduceValuesOrErrors() {
        var rng = Generator(state: 0x5C0_470)
        var outcomes: [Outcome: Int] = [:]
        for _ in 0..<4000 {
            let source = expression(&rng, depth: Int.random(in: 1...6, using: &rng))
            outcomes[exercise(source), default: 0] += 1
            exercise(mangle(source, &rng))
            if let parsed = try? Talang.parse(json: source) {
                exercise(mangle(parsed.description, &rng))
            }
        }
        #expect(outcomes[.value, default: 0] + outcomes[.evaluationError, default: 0] >= 400)
    }

    @Test func randomBytesOnlyProduceValuesOrErrors() {
        var rng = Generator(state: 2026)
        let alphabet = Array("[]{}()\"\\,:;. -+0123456789eEtrufalsn xyz\n\t\u{00}é🎉".utf8)
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0..<40, using: &rng)).map { _ in
                Bool.random(using: &rng) ? (alphabet.randomElement(using: &rng) ?? 0) : UInt8.random(in: 0...255, using: &rng)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? TalangValue(jsonText: text)
            _ = try? Talang.parse(text: text)
            exercise(text)
        }
    }

    @Test func textFormRoundTripsForRandomExpressions() throws {
        var rng = Generator(state: 42)
        for _ in 0..<1000 {
            let source = expression(&rng, depth: 5)
            guard let parsed = try? Talang.parse(json: source) else { continue }
            #expect(try Talang.parse(text: parsed.description) == parsed, "\(parsed)")
            #expect(try Talang.parse(json: parsed.jsonText) == parsed, "\(source)")
        }
    }

    @Test func hostileNestingIsRejectedNotOverflowed() {
        let deep = String(repeating: "[\"not\",", count: 100_000) + "true" + String(repeating: "]", count: 100_000)
        #expect(throws: TalangError.self) { try Talang.parse(json: deep) }
        let deepText = String(repeating: "(not ", count: 100_000) + "true" + String(repeating: ")", count: 100_000)
        #expect(throws: TalangError.self) { try Talang.parse(text: deepText) }
        let deepValue = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: TalangError.self) { try TalangValue(jsonText: deepValue) }
    }

    @Test func stepBudgetStopsRunawayWork() throws {
        var environment = Environment.core
        environment.limits.maxSteps = 10_000
        // 100 × 100 × 100 lambda calls: far over the budget, stopped rather than run to the end.
        let source = """
            ["exists", ["split", "\(String(repeating: "x", count: 99))", ""], [["a"],
              ["exists", ["split", "\(String(repeating: "x", count: 99))", ""], [["b"],
                ["exists", ["split", "\(String(repeating: "x", count: 99))", ""], [["c"], false]]]]]]
            """
        let compiled = try Talang.compile(Talang.parse(source), in: environment)
        #expect(throws: TalangError.self) { try compiled.evaluate() }
        // catch cannot swallow the budget.
        let caught = try Talang.compile(Talang.parse("[\"catch\", true, \(source)]"), in: environment)
        #expect(throws: TalangError.self) { try caught.evaluate() }
    }

    @Test func variablesCannotNestValuesWithoutBound() throws {
        let feedback = "[\"list\", [\"set\", \"L\", [\"list\"]]"
            + String(repeating: ", [\"set\", \"L\", [\"list\", [\".\", \"L\"]]]", count: 200) + "]"
        let compiled = try Talang.compile(Talang.parse(json: feedback), in: .core)
        #expect(throws: TalangError.self) { try compiled.evaluate() }
    }

    @Test func oddInputsToTimeHelpers() throws {
        #expect(TalangTime(Date(timeIntervalSince1970: .nan)).seconds == 0)
        #expect(TalangTime(Date.distantFuture).fields.year == 4001)
        #expect(TalangTime(Date(timeIntervalSince1970: 1e15)).fields.year == 9999)
        #expect(throws: TalangFailure.self) {
            try TimeLayout(String(repeating: "S", count: 30)).parse(String(repeating: "9", count: 30))
        }
    }

    @Test func growingStringsAreBounded() throws {
        var environment = Environment.core
        environment.limits.maxStringLength = 500
        let doubling = "(do \"xxxxxxxxxx\" ((a) (do (+ (. a) (. a)) ((b) (do (+ (. b) (. b)) ((c) (do (+ (. c) (. c)) ((d) (do (+ (. d) (. d)) ((e) (+ (. e) (. e) (. e) (. e))))))))))))"
        let compiled = try Talang.compile(Talang.parse(doubling), in: environment)
        #expect(throws: TalangError.self) { try compiled.evaluate() }
    }
}
