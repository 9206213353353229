import Foundation

/// Decimal operations that fail with a message instead of producing NaN or trapping.
///
/// Foundation's `Decimal` keeps 38 significant digits; results that do not fit (overflow,
/// division by zero) come back as NaN, which is turned into an error here.
enum DecimalArithmetic {
    static func parse(_ text: String) -> Decimal? {
        guard let value = Decimal(string: text, locale: nil), !value.isNaN else { return nil }
        return value
    }

    static func checked(_ value: Decimal, _ operation: String) throws(TalangFailure) -> Decimal {
        guard !value.isNaN else { throw TalangFailure("the result is out of range") }
        return value
    }

    // Small operands (prices, quantities) take the integer path; Foundation handles the rest.
    static func add(_ a: Decimal, _ b: Decimal) throws(TalangFailure) -> Decimal {
        if let x = SmallDecimal(a), let y = SmallDecimal(b), let sum = x.adding(y) { return sum.decimal }
        return try checked(a + b, "+")
    }

    static func subtract(_ a: Decimal, _ b: Decimal) throws(TalangFailure) -> Decimal {
        if let x = SmallDecimal(a), let y = SmallDecimal(b), let difference = x.subtracting(y) { return difference.decimal }
        return try checked(a - b, "-")
    }

    static func multiply(_ a: Decimal, _ b: Decimal) throws(TalangFailure) -> Decimal {
        if let x = SmallDecimal(a), let y = SmallDecimal(b), let product = x.multiplying(y) { return product.decimal }
        return try checked(a * b, "*")
    }

    static func divide(_ a: Decimal, _ b: Decimal) throws(TalangFailure) -> Decimal {
        guard !b.isZero else { throw TalangFailure("division by zero") }
        return try checked(a / b, "/")
    }

    /// The remainder with the sign of the dividend (as Go's `decimal.Mod`): `mod -7 2` is -1.
    static func modulo(_ a: Decimal, _ b: Decimal) throws(TalangFailure) -> Decimal {
        guard !b.isZero else { throw TalangFailure("division by zero") }
        let quotient = try checked(a / b, "mod")
        let truncated = round(quotient, places: 0, mode: quotient < 0 ? .up : .down)
        return try checked(a - truncated * b, "mod")
    }

    static func round(_ value: Decimal, places: Int, mode: NSDecimalNumber.RoundingMode) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, places, mode)
        return result
    }

    /// The value as an `Int` when it is a whole number in range (list indexes, durations).
    static func exactInt(_ value: Decimal) -> Int? {
        guard !value.isNaN, round(value, places: 0, mode: .down) == value else { return nil }
        return Int(value.description)
    }
}
