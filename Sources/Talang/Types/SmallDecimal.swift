import Foundation

/// A decimal whose significand fits in 64 bits: `significand × 10^exponent`.
///
/// Foundation's `Decimal` arithmetic allocates on Linux (~150 ns for a comparison, ~2 µs for a
/// division). Rule values are nearly always small (prices, quantities), so they are added,
/// multiplied, divided and rounded here with integer arithmetic instead, in the representation
/// Foundation's own result has. The significand is read from `Decimal`'s storage
/// (``WideDecimal``), whose layout is checked once against Foundation's own API; if it does not
/// match (another platform), every operation falls back to Foundation.
struct SmallDecimal: Equatable {
    var significand: Int64
    var exponent: Int

    @inline(__always)
    init?(_ value: Decimal) {
        guard Self.layoutIsKnown, let decoded = Self.decode(value) else { return nil }
        self = decoded
    }

    init(significand: Int64, exponent: Int) {
        self.significand = significand
        self.exponent = exponent
    }

    /// The storage as ``WideDecimal`` reads it, when the significand fits in 63 bits.
    private static func decode(_ value: Decimal) -> SmallDecimal? {
        guard let wide = WideDecimal.decode(value), wide.magnitude <= UInt128(Int64.max) else { return nil }
        let magnitude = Int64(wide.magnitude)
        return SmallDecimal(significand: wide.negative ? -magnitude : magnitude, exponent: wide.exponent)
    }

    /// Whether `decode` reads this platform's `Decimal` correctly, checked on known values.
    static let layoutIsKnown: Bool = {
        let samples = ["149.95", "-0.5", "100", "1e20", "-1234567890123456789", "9223372036854775807", "0.000001", "-7"]
        for text in samples {
            guard let value = Decimal(string: text, locale: nil), let small = decode(value) else { return false }
            let magnitude = Decimal(small.significand.magnitude)
            let rebuilt = Decimal(sign: small.significand < 0 ? .minus : .plus, exponent: small.exponent, significand: magnitude)
            guard rebuilt == value else { return false }
        }
        guard let large = Decimal(string: "123456789012345678901234567890", locale: nil), decode(large) == nil,
            decode(.nan) == nil, decode(0) == SmallDecimal(significand: 0, exponent: 0),
            let wide = WideDecimal.decode(large), wide.exponent == 1, !wide.negative,
            String(wide.magnitude) == "12345678901234567890123456789",
            let negative = Decimal(string: "-0.00000000000000000000000000000000000017", locale: nil),
            let read = WideDecimal.decode(negative), read.negative, read.magnitude == 17, read.exponent == -38,
            // Values written by `compactDecimal` are Foundation's own, byte for byte.
            withUnsafeBytes(of: WideDecimal.compactDecimal(negative: wide.negative, magnitude: wide.magnitude,
                                                           exponent: wide.exponent), { Array($0) })
                == withUnsafeBytes(of: large, { Array($0) }),
            withUnsafeBytes(of: WideDecimal.compactDecimal(negative: true, magnitude: 17, exponent: -38), { Array($0) })
                == withUnsafeBytes(of: negative, { Array($0) })
        else { return false }
        return true
    }()

    /// The sum, or nil when it does not fit (then Foundation computes it).
    func adding(_ other: SmallDecimal) -> SmallDecimal? {
        guard let (x, y, exponent) = aligned(with: other) else { return nil }
        let sum = x.addingReportingOverflow(y)
        return sum.overflow ? nil : SmallDecimal(significand: sum.partialValue, exponent: exponent)
    }

    func subtracting(_ other: SmallDecimal) -> SmallDecimal? {
        guard let (x, y, exponent) = aligned(with: other) else { return nil }
        let difference = x.subtractingReportingOverflow(y)
        return difference.overflow ? nil : SmallDecimal(significand: difference.partialValue, exponent: exponent)
    }

    func multiplying(_ other: SmallDecimal) -> SmallDecimal? {
        let product = significand.multipliedReportingOverflow(by: other.significand)
        let exponent = self.exponent + other.exponent
        guard !product.overflow, (-128...127).contains(exponent) else { return nil }
        return SmallDecimal(significand: product.partialValue, exponent: exponent)
    }

    /// Both significands at the smaller exponent.
    private func aligned(with other: SmallDecimal) -> (Int64, Int64, Int)? {
        var x = significand
        var y = other.significand
        let exponent = min(self.exponent, other.exponent)
        for _ in 0..<(self.exponent - exponent) {
            let scaled = x.multipliedReportingOverflow(by: 10)
            if scaled.overflow { return nil }
            x = scaled.partialValue
        }
        for _ in 0..<(other.exponent - exponent) {
            let scaled = y.multipliedReportingOverflow(by: 10)
            if scaled.overflow { return nil }
            y = scaled.partialValue
        }
        return (x, y, exponent)
    }

    var decimal: Decimal {
        Decimal(sign: significand < 0 ? .minus : .plus, exponent: exponent, significand: Decimal(significand.magnitude))
    }
}

extension DecimalArithmetic {
    /// -1, 0 or 1, exact; integer arithmetic for every finite value (Foundation's comparison allocates).
    @inline(__always)
    static func compare(_ a: Decimal, _ b: Decimal) -> Int {
        if let x = WideDecimal(a), let y = WideDecimal(b) { return x.compare(y) }
        return a < b ? -1 : (a == b ? 0 : 1)
    }
}
