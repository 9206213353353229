import Foundation

/// `= != < <= > >= between`: decimals by value, times by instant.
enum Comparison {
    static let category = "Comparison"

    static var definitions: [FunctionDefinition] {
        [
            .core(
                "=", category, [.any, .any], repeating: .any, returns: .boolean,
                "Whether every following argument equals the first. Decimals compare by value, times by instant; other atoms by their text, so `(= 1 \"1\")` holds as in the reference.",
                examples: [Example("(= 1 1.0)", "true"), Example("(= \"Hello\" \"Hello\" \"Bye\")", "false"),
                           Example("(= 1 \"1\")", "true"),
                           Example("(= 2006-01-02T15:04:05Z 2006-01-02T17:04:05+02:00)", "true")]
            ) { arguments in
                let first = try arguments.value(0)
                for index in 1..<arguments.count where !first.looselyEquals(try arguments.value(index)) {
                    return false
                }
                return true
            },
            .core(
                "!=", category, [.any, .any], repeating: .any, returns: .boolean,
                "Whether the first argument differs from every following one.",
                examples: [Example("(!= 1 2)", "true"), Example("(!= \"Hello\" \"Hello\" \"Bye\")", "false")]
            ) { arguments in
                let first = try arguments.value(0)
                for index in 1..<arguments.count where first.looselyEquals(try arguments.value(index)) {
                    return false
                }
                return true
            },
        ] + ordering("<", "less than", [Example("(< 1 2 3)", "true"), Example("(< 2 1)", "false")]) { $0 < 0 }
            + ordering("<=", "less than or equal to", [Example("(<= 1 1)", "true")]) { $0 <= 0 }
            + ordering(">", "greater than", [Example("(> 2 1)", "true"), Example("(> 1 1)", "false")]) { $0 > 0 }
            + ordering(">=", "greater than or equal to", [Example("(>= 1 1 0)", "true")]) { $0 >= 0 }
            + between()
    }

    /// -1, 0 or 1; decimals with decimals, times with times (RFC 3339 strings read as times).
    static func compare(_ a: TalangValue, _ b: TalangValue) throws(TalangFailure) -> Int {
        switch (a, b) {
        case (.decimal(let x), .decimal(let y)): return DecimalArithmetic.compare(x, y)
        case (.decimal, _): throw TalangFailure.type(expected: "decimal", got: b)
        default:
            let x = try Arguments.time(from: a)
            let y = try Arguments.time(from: b)
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    }

    private static func ordering(
        _ name: String, _ phrase: String, _ examples: [Example], _ holds: @escaping @Sendable (Int) -> Bool
    ) -> [FunctionDefinition] {
        let implementation: Implementation = { arguments in
            let first = try arguments.value(0)
            for index in 1..<arguments.count where !holds(try compare(first, try arguments.value(index))) {
                return false
            }
            return true
        }
        return [
            .core(name, category, [.decimal, .decimal], repeating: .decimal, returns: .boolean,
                "Whether the first argument is \(phrase) every following one.", examples: examples, implementation),
            .core(name, category, [.time, .time], repeating: .time, returns: .boolean,
                "Whether the first time is \(phrase) every following one.",
                examples: [Example("(\(name) 2006-01-02T15:04:05Z 2007-01-02T15:04:05Z)", holds(-1) ? "true" : "false")],
                implementation),
        ]
    }

    private static func between() -> [FunctionDefinition] {
        let implementation: Implementation = { arguments in
            let low = try arguments.value(arguments.count - 2)
            let high = try arguments.value(arguments.count - 1)
            for index in 0..<(arguments.count - 2) {
                let value = try arguments.value(index)
                guard try compare(value, low) > 0, try compare(value, high) < 0 else { return false }
            }
            return true
        }
        return [
            .core("between", category, [.decimal, .decimal, .decimal], repeating: .decimal, returns: .boolean,
                "Whether every argument but the last two lies strictly between the second-last and the last.",
                examples: [Example("(between 1 2 0 3)", "true"), Example("(between 0 0 2)", "false"),
                           Example("(between 1 4 0 3)", "false")], implementation),
            .core("between", category, [.time, .time, .time], repeating: .time, returns: .boolean,
                "Whether every time but the last two lies strictly between the second-last and the last.",
                examples: [Example("(between 2007-01-02T00:00:00Z 2006-01-02T00:00:00Z 2009-01-02T00:00:00Z)", "true")],
                implementation),
        ]
    }
}
