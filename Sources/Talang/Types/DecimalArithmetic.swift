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

    // Small operands (prices, quantities) take the integer path; Foundation handles the rest. Results are
    // Foundation's to the byte: a zero operand gives the other one back as it is, as Foundation does.
    static func add(_ a: Decimal, _ b: Decimal) throws(TalangFailure) -> Decimal {
        try checked(sum(a, b), "+")
    }

    static func subtract(_ a: Decimal, _ b: Decimal) throws(TalangFailure) -> Decimal {
        try checked(difference(a, b), "-")
    }

    static func multiply(_ a: Decimal, _ b: Decimal) throws(TalangFailure) -> Decimal {
        try checked(product(a, b), "*")
    }

    static func divide(_ a: Decimal, _ b: Decimal) throws(TalangFailure) -> Decimal {
        guard !b.isZero else { throw TalangFailure("division by zero") }
        return try checked(quotient(a, b), "/")
    }

    /// The remainder with the sign of the dividend (as Go's `decimal.Mod`): `mod -7 2` is -1.
    static func modulo(_ a: Decimal, _ b: Decimal) throws(TalangFailure) -> Decimal {
        guard !b.isZero else { throw TalangFailure("division by zero") }
        let ratio = try checked(quotient(a, b), "mod")
        let truncated = round(ratio, places: 0, mode: compare(ratio, 0) < 0 ? .up : .down)
        return try checked(difference(a, product(truncated, b)), "mod")
    }
}

/// Foundation's `Decimal` arithmetic with integer fast paths: every result is the one Foundation gives, in
/// the same representation (so its text on the wire is the same), NaN included; only faster when the
/// operands are small. For the engine's money (cart totals, discounts, rounding) as for rules.
public enum DecimalMath {
    public static func sum(_ a: Decimal, _ b: Decimal) -> Decimal {
        if let x = SmallDecimal(a), let y = SmallDecimal(b) {
            if x.significand == 0 { return b }
            if y.significand == 0 { return a }
            if let sum = x.adding(y) { return sum.decimal }
        }
        return a + b
    }

    public static func difference(_ a: Decimal, _ b: Decimal) -> Decimal {
        if let x = SmallDecimal(a), let y = SmallDecimal(b) {
            if y.significand == 0 { return a }
            if x.significand != 0, let difference = x.subtracting(y) { return difference.decimal }
        }
        return a - b
    }

    public static func product(_ a: Decimal, _ b: Decimal) -> Decimal {
        if let x = SmallDecimal(a), let y = SmallDecimal(b), let product = x.multiplying(y) { return product.decimal }
        return a * b
    }

    /// NaN when `b` is zero, as Foundation.
    public static func quotient(_ a: Decimal, _ b: Decimal) -> Decimal {
        if let x = SmallDecimal(a), let y = SmallDecimal(b), let quotient = x.quotientLikeFoundation(dividingBy: y) {
            return quotient
        }
        return a / b
    }

    /// -1, 0 or 1, exact.
    public static func compare(_ a: Decimal, _ b: Decimal) -> Int { DecimalArithmetic.compare(a, b) }

    /// As the standard library's `min`: the first when they are equal.
    public static func min(_ a: Decimal, _ b: Decimal) -> Decimal { compare(b, a) < 0 ? b : a }

    /// As the standard library's `max`: the second when they are equal.
    public static func max(_ a: Decimal, _ b: Decimal) -> Decimal { compare(b, a) >= 0 ? b : a }

    /// `NSDecimalRound` to `places` decimals (negative: tens, hundreds, …).
    public static func round(_ value: Decimal, places: Int, mode: NSDecimalNumber.RoundingMode) -> Decimal {
        if let small = SmallDecimal(value), let rounded = small.roundedLikeFoundation(value, places: places, mode: mode) {
            return rounded
        }
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, places, mode)
        return result
    }
}

extension DecimalArithmetic {
    static func sum(_ a: Decimal, _ b: Decimal) -> Decimal { DecimalMath.sum(a, b) }
    static func difference(_ a: Decimal, _ b: Decimal) -> Decimal { DecimalMath.difference(a, b) }
    static func product(_ a: Decimal, _ b: Decimal) -> Decimal { DecimalMath.product(a, b) }
    static func quotient(_ a: Decimal, _ b: Decimal) -> Decimal { DecimalMath.quotient(a, b) }

    static func round(_ value: Decimal, places: Int, mode: NSDecimalNumber.RoundingMode) -> Decimal {
        DecimalMath.round(value, places: places, mode: mode)
    }

    /// The value as an `Int` when it is a whole number in range (list indexes, durations).
    static func exactInt(_ value: Decimal) -> Int? {
        guard !value.isNaN, round(value, places: 0, mode: .down) == value else { return nil }
        return Int(value.description)
    }
}
