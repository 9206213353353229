import Foundation

/// A decimal whose significand fits in 64 bits: `significand × 10^exponent`.
///
/// Foundation's `Decimal` comparison allocates and costs ~150 ns on Linux, most of a simple
/// condition's budget. Rule values are nearly always small (prices, quantities), so they are
/// compared here with integer arithmetic instead. The significand is read from `Decimal`'s
/// storage, whose layout is checked once against Foundation's own API; if it does not match
/// (another platform), every operation falls back to Foundation.
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

    /// Reads swift-foundation's storage: byte 0 the exponent, byte 1 the length in 16-bit words
    /// (high nibble) and the sign (bit 3), then the little-endian mantissa words from byte 4.
    private static func decode(_ value: Decimal) -> SmallDecimal? {
        withUnsafeBytes(of: value) { raw -> SmallDecimal? in
            guard raw.count == 20 else { return nil }
            let flags = raw[1]
            let length = Int(flags >> 4)
            let negative = flags & 0x08 != 0
            if length == 0 { return negative ? nil : SmallDecimal(significand: 0, exponent: 0) }  // NaN : zero
            guard length <= 4 else { return nil }
            var magnitude: UInt64 = 0
            for word in (0..<length).reversed() {
                magnitude = magnitude << 16 | UInt64(raw.loadUnaligned(fromByteOffset: 4 + 2 * word, as: UInt16.self))
            }
            guard magnitude <= UInt64(Int64.max) else { return nil }
            return SmallDecimal(
                significand: negative ? -Int64(magnitude) : Int64(magnitude),
                exponent: Int(Int8(bitPattern: raw[0])))
        }
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
            decode(.nan) == nil, decode(0) == SmallDecimal(significand: 0, exponent: 0)
        else { return false }
        return true
    }()

    /// -1, 0 or 1; nil never (both values are small), the comparison is exact.
    func compare(_ other: SmallDecimal) -> Int {
        if exponent == other.exponent || significand == 0 || other.significand == 0 {
            if exponent == other.exponent { return Self.sign(of: significand, other.significand) }
            return Self.sign(of: significand.signum(), other.significand.signum())
        }
        let (high, low, flipped) = exponent > other.exponent ? (self, other, false) : (other, self, true)
        // Scale the value with the larger exponent down to the other's exponent; overflow means
        // its magnitude is larger, so its sign decides.
        var scaled = high.significand
        var steps = high.exponent - low.exponent
        var overflowed = false
        while steps > 0 && !overflowed {
            let product = scaled.multipliedReportingOverflow(by: 10)
            overflowed = product.overflow
            scaled = product.partialValue
            steps -= 1
        }
        let result = overflowed ? Int(high.significand.signum()) : Self.sign(of: scaled, low.significand)
        return flipped ? -result : result
    }

    private static func sign(of a: Int64, _ b: Int64) -> Int { a < b ? -1 : (a == b ? 0 : 1) }

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
    /// -1, 0 or 1, exact; integer arithmetic when both values are small.
    @inline(__always)
    static func compare(_ a: Decimal, _ b: Decimal) -> Int {
        if let x = SmallDecimal(a), let y = SmallDecimal(b) { return x.compare(y) }
        return a < b ? -1 : (a == b ? 0 : 1)
    }
}
