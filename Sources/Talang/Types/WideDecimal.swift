import Foundation

/// Any finite `Decimal` read from its storage: sign, the 128-bit significand and the exponent.
///
/// Used to compare without Foundation (its comparison allocates) and as the common reader behind
/// ``SmallDecimal``. Reads swift-foundation's storage: byte 0 the exponent, byte 1 the length in 16-bit
/// words (high nibble) and the sign (bit 3), then the little-endian mantissa words from byte 4; the
/// layout is checked once (``SmallDecimal/layoutIsKnown``) and every caller falls back to Foundation
/// when it does not match.
struct WideDecimal: Equatable {
    var negative: Bool
    var magnitude: UInt128
    var exponent: Int

    /// nil for NaN and on an unknown layout.
    @inline(__always)
    init?(_ value: Decimal) {
        guard SmallDecimal.layoutIsKnown, let decoded = Self.decode(value) else { return nil }
        self = decoded
    }

    init(negative: Bool, magnitude: UInt128, exponent: Int) {
        self.negative = negative
        self.magnitude = magnitude
        self.exponent = exponent
    }

    static func decode(_ value: Decimal) -> WideDecimal? {
        withUnsafeBytes(of: value) { raw -> WideDecimal? in
            guard raw.count == 20 else { return nil }
            let flags = raw[1]
            let length = Int(flags >> 4)
            let negative = flags & 0x08 != 0
            if length == 0 { return negative ? nil : WideDecimal(negative: false, magnitude: 0, exponent: 0) }  // NaN : zero
            guard length <= 8 else { return nil }
            var magnitude = UInt128(raw.loadUnaligned(fromByteOffset: 4, as: UInt64.self))
                | UInt128(raw.loadUnaligned(fromByteOffset: 12, as: UInt64.self)) << 64
            if length < 8 { magnitude &= (1 << (16 * length)) - 1 }  // words past the length are not part of it
            return WideDecimal(negative: negative, magnitude: magnitude, exponent: Int(Int8(bitPattern: raw[0])))
        }
    }

    /// -1, 0 or 1, exact.
    func compare(_ other: WideDecimal) -> Int {
        let sign = signum
        let otherSign = other.signum
        if sign != otherSign { return sign < otherSign ? -1 : 1 }
        if sign == 0 { return 0 }
        let byMagnitude = Self.compareMagnitudes(self, other)
        return negative ? -byMagnitude : byMagnitude
    }

    private var signum: Int { magnitude == 0 ? 0 : (negative ? -1 : 1) }

    /// Both nonzero: the one with the larger exponent is scaled to the other's; overflow means it is larger.
    private static func compareMagnitudes(_ a: WideDecimal, _ b: WideDecimal) -> Int {
        if a.exponent == b.exponent { return order(a.magnitude, b.magnitude) }
        let (high, low, flipped) = a.exponent > b.exponent ? (a, b, false) : (b, a, true)
        let steps = high.exponent - low.exponent
        let result: Int
        if steps >= powersOfTen.count {
            result = 1
        } else {
            let scaled = high.magnitude.multipliedReportingOverflow(by: powersOfTen[steps])
            result = scaled.overflow ? 1 : order(scaled.partialValue, low.magnitude)
        }
        return flipped ? -result : result
    }

    private static func order(_ a: UInt128, _ b: UInt128) -> Int { a < b ? -1 : (a == b ? 0 : 1) }

    /// 10^0 … 10^38, the powers that fit in 128 bits.
    static let powersOfTen: [UInt128] = {
        var powers: [UInt128] = [1]
        for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// A Foundation `Decimal` with this significand in the representation Foundation's own operations leave:
    /// trailing zeros already removed by the caller, `_isCompact` set, the length in 16-bit words.
    static func compactDecimal(negative: Bool, magnitude: UInt128, exponent: Int) -> Decimal {
        // Written into the storage `decode` reads (Foundation's field setters are not public); the compact
        // flag is bit 2 of byte 1. `SmallDecimal.layoutIsKnown` checks the whole layout on this platform.
        var result = Decimal()
        let length = UInt8((128 - magnitude.leadingZeroBitCount + 15) / 16)
        withUnsafeMutableBytes(of: &result) { raw in
            raw[0] = UInt8(bitPattern: Int8(exponent))
            raw[1] = length << 4 | (negative ? 0x08 : 0) | 0x04
            raw.storeBytes(of: UInt64(truncatingIfNeeded: magnitude), toByteOffset: 4, as: UInt64.self)
            raw.storeBytes(of: UInt64(truncatingIfNeeded: magnitude >> 64), toByteOffset: 12, as: UInt64.self)
        }
        return result
    }
}
