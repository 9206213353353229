import Foundation

/// `+ - * / mod ceil floor round`: exact decimal arithmetic; overflow and division by zero are errors.
enum Arithmetic {
    static let category = "Arithmetic"

    static var definitions: [FunctionDefinition] {
        [
            .core(
                "+", category, [.decimal, .decimal], repeating: .decimal, returns: .decimal, "Adds the arguments.",
                examples: [Example("(+ 1 2 3)", "6"), Example("(+ 0.1 0.2)", "0.3")], plus),
            fold("-", "Subtracts the following arguments from the first.", DecimalArithmetic.subtract,
                [Example("(- 1 2 3)", "-4")]),
            fold("*", "Multiplies the arguments.", DecimalArithmetic.multiply,
                [Example("(* 1.5 2 3)", "9"), Example("(* 100 (/ 20 100))", "20")]),
            fold("/", "Divides the first argument by the following ones; division by zero is an error.",
                DecimalArithmetic.divide,
                [Example("(/ 1 2)", "0.5"), Example("(/ 1 4 5)", "0.05"), Example("(/ 1 0)", nil)]),
            fold("mod", "The remainder of dividing the first argument by the following ones, with the dividend's sign.",
                DecimalArithmetic.modulo,
                [Example("(mod 3 8 2)", "1"), Example("(mod -7 2)", "-1"), Example("(mod 7.5 2)", "1.5"),
                 Example("(mod 1 0)", nil)]),
            rounding("ceil", "Rounds up, towards positive infinity.", .up,
                [Example("(ceil 2.4)", "3"), Example("(ceil -2.7)", "-2")]),
            rounding("floor", "Rounds down, towards negative infinity.", .down,
                [Example("(floor 2.9)", "2"), Example("(floor -2.7)", "-3")]),
            rounding("round", "Rounds to the nearest whole number; halves away from zero.", .plain,
                [Example("(round 2.5)", "3"), Example("(round -2.5)", "-3"), Example("(round 2.49)", "2")]),
            .core(
                "round", category, [.decimal, .decimal], returns: .decimal,
                "Rounds to a number of decimal places (0 … 38); halves away from zero. Use it to round money explicitly.",
                examples: [Example("(round 2.345 2)", "2.35"), Example("(round 1234.5 -2)", "1200"),
                           Example("(round 1 0.5)", nil)]
            ) { arguments in
                let value = try arguments.decimal(0)
                guard let places = DecimalArithmetic.exactInt(try arguments.decimal(1)), (-38...38).contains(places)
                else { throw TalangFailure("the number of places must be a whole number from -38 to 38") }
                return .decimal(DecimalArithmetic.round(value, places: places, mode: .plain))
            },
        ]
    }

    /// `+` on decimals; also concatenates when the values turn out to be strings (the string
    /// overload is chosen statically, but `any` data picks this one).
    @Sendable static func plus(_ arguments: Arguments) throws -> TalangValue {
        var total = Decimal(0)
        var text: String?
        for index in 0..<arguments.count {
            switch try arguments.value(index) {
            case .decimal(let value) where text == nil: total = try DecimalArithmetic.add(total, value)
            case .string(let value) where index == 0 || text != nil:
                text = (text ?? "") + value
                try arguments.checkLength(text ?? "")
            case let value: throw TalangFailure.type(expected: text == nil ? "decimal" : "string", got: value)
            }
        }
        return text.map { .string($0) } ?? .decimal(total)
    }

    private static func fold(
        _ name: String, _ description: String, _ operation: @escaping @Sendable (Decimal, Decimal) throws -> Decimal,
        _ examples: [Example]
    ) -> FunctionDefinition {
        .core(name, category, [.decimal, .decimal], repeating: .decimal, returns: .decimal, description,
            examples: examples) { arguments in
            var result = try arguments.decimal(0)
            for index in 1..<arguments.count { result = try operation(result, try arguments.decimal(index)) }
            return .decimal(result)
        }
    }

    private static func rounding(
        _ name: String, _ description: String, _ mode: NSDecimalNumber.RoundingMode, _ examples: [Example]
    ) -> FunctionDefinition {
        .core(name, category, [.decimal], returns: .decimal, description, examples: examples) { arguments in
            .decimal(DecimalArithmetic.round(try arguments.decimal(0), places: 0, mode: mode))
        }
    }
}
