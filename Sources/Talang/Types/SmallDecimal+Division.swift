import Foundation

/// Division and rounding as swift-foundation computes them, digit for digit, in integers.
///
/// Foundation's division is not exact (it keeps up to 38 digits), so a faster exact division would give
/// other digits than the ones stored and answered so far. These reproduce its algorithm instead
/// (`Decimal._divide`, `_round`): the same digits and the same representation, checked against
/// Foundation itself in `DecimalTests` over random and edge values. Anything outside what they cover
/// returns nil and Foundation computes it.
extension SmallDecimal {
    /// `self / divisor`, or nil for Foundation to compute (a zero operand, exponents 19 or more apart,
    /// a result exponent out of range).
    func quotientLikeFoundation(dividingBy divisor: SmallDecimal) -> Decimal? {
        guard significand != 0, divisor.significand != 0, exponent - divisor.exponent < 19 else { return nil }
        // Foundation scales the dividend's significand by 10^38 and divides as integers, truncating…
        var quotient = Limbs(significand.magnitude, timesPowerOfTen: 38)
        quotient.divide(by: divisor.significand.magnitude)
        // …then drops digits until the significand fits in eight 16-bit words: 4 at a time while it
        // has more than nine words, one at a time after that (truncating: the mode is `.down`).
        var exponent = self.exponent - divisor.exponent - 38
        while quotient.words > 9 {
            quotient.divide(by: 10_000)
            exponent += 4
        }
        while quotient.words > 8 {
            quotient.divide(by: 10)
            exponent += 1
        }
        guard (-128...127).contains(exponent) else { return nil }  // Foundation: underflow / overflow
        exponent += quotient.removeTrailingZeros()
        guard exponent <= 127 else { return nil }
        return WideDecimal.compactDecimal(
            negative: (significand < 0) != (divisor.significand < 0), magnitude: quotient.value, exponent: exponent)
    }

    /// The value rounded to `places` decimals, as `NSDecimalRound` gives it; `original` is returned as it is
    /// when no digit is dropped. nil for Foundation to compute (a zero result, modes other than plain/up/down).
    func roundedLikeFoundation(_ original: Decimal, places: Int, mode: NSDecimalNumber.RoundingMode) -> Decimal? {
        guard significand != 0 else { return nil }  // a zero keeps whatever exponent it was stored with
        let dropped = -(places + exponent)
        if dropped <= 0 { return original }
        guard dropped <= 18 else { return nil }
        let divisor = UInt64(WideDecimal.powersOfTen[dropped])
        let magnitude = significand.magnitude
        var kept = magnitude / divisor
        let rest = magnitude % divisor
        let negative = significand < 0
        switch mode {
        case .plain: if rest >= divisor - rest { kept += 1 }  // half away from zero
        case .up: if rest != 0 && !negative { kept += 1 }
        case .down: if rest != 0 && negative { kept += 1 }
        default: return nil
        }
        guard kept != 0 else { return nil }
        var limbs = Limbs(kept, timesPowerOfTen: 0)
        let resultExponent = -places + limbs.removeTrailingZeros()
        guard (-128...127).contains(resultExponent) else { return nil }
        return WideDecimal.compactDecimal(negative: negative, magnitude: limbs.value, exponent: resultExponent)
    }
}

/// An unsigned integer of three 64-bit limbs, least significant first: Foundation's division works on
/// 16 words of 16 bits, and a 63-bit significand times 10^38 needs 190 of them.
private struct Limbs {
    var low: UInt64
    var middle: UInt64
    var high: UInt64

    init(_ value: UInt64, timesPowerOfTen power: Int) {
        let scale = WideDecimal.powersOfTen[power]
        let lowProduct = value.multipliedFullWidth(by: UInt64(truncatingIfNeeded: scale))
        let highProduct = value.multipliedFullWidth(by: UInt64(truncatingIfNeeded: scale >> 64))
        let (middle, carry) = lowProduct.high.addingReportingOverflow(highProduct.low)
        low = lowProduct.low
        self.middle = middle
        high = highProduct.high &+ (carry ? 1 : 0)
    }

    /// How many 16-bit words Foundation's variable-length integer has for this value.
    var words: Int {
        let bits = high != 0 ? 192 - high.leadingZeroBitCount
            : middle != 0 ? 128 - middle.leadingZeroBitCount : 64 - low.leadingZeroBitCount
        return (bits + 15) / 16
    }

    /// The value when it fits in 128 bits (after Foundation's fitting it does).
    var value: UInt128 { UInt128(middle) << 64 | UInt128(low) }

    /// Truncating division; returns the remainder.
    @discardableResult
    mutating func divide(by divisor: UInt64) -> UInt64 {
        var remainder: UInt64
        (high, remainder) = high.quotientAndRemainder(dividingBy: divisor)
        (middle, remainder) = divisor.dividingFullWidth((high: remainder, low: middle))
        (low, remainder) = divisor.dividingFullWidth((high: remainder, low: low))
        return remainder
    }

    /// Divides by 10 while that is exact (the value is not zero); returns how many times.
    mutating func removeTrailingZeros() -> Int {
        var removed = 0
        while true {
            var trial = self
            guard trial.divide(by: 10) == 0 else { return removed }
            self = trial
            removed += 1
        }
    }
}
