import Foundation

/// A `Decimal`'s JSON number text, written and read without Foundation's general-purpose paths
/// (`description` divides the 128-bit significand once per digit; `Decimal(string:)` multiplies it once per digit),
/// with exactly their results: the text `description` writes, and the `Decimal` `Decimal(string:)` (and so
/// `JSONDecoder`) reads, compacted as Foundation's parser leaves it.
///
/// Only significands of up to 64 bits take the direct path; anything else (more digits, exponents, zeros with a
/// scale) is handed to Foundation, so exotic input costs what it cost before and reads the same.
public enum DecimalText {
    /// Appends the text `value.description` is.
    public static func write(_ value: Decimal, to bytes: inout [UInt8]) {
        guard !value.isNaN, let significand = smallSignificand(of: value) else {
            bytes.append(contentsOf: value.description.utf8)
            return
        }
        guard significand != 0 else {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        if value.sign == .minus { bytes.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            var rest = significand
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            let count = 20 - start
            let exponent = value.exponent
            if exponent >= 0 {
                bytes.append(contentsOf: digits[start..<20])
                bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: exponent))
            } else if count > -exponent {
                let point = 20 + exponent
                bytes.append(contentsOf: digits[start..<point])
                bytes.append(UInt8(ascii: "."))
                bytes.append(contentsOf: digits[point..<20])
            } else {
                bytes.append(UInt8(ascii: "0"))
                bytes.append(UInt8(ascii: "."))
                bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -exponent - count))
                bytes.append(contentsOf: digits[start..<20])
            }
        }
    }

    /// The `Decimal` of a plain number (`-?digits(.digits)?`, at most 19 digits, no exponent), as
    /// `Decimal(string:)` reads it; nil for any other text, which the caller gives to Foundation.
    public static func plainNumber(_ text: UnsafeBufferPointer<UInt8>) -> Decimal? {
        var index = 0
        let negative = text.first == UInt8(ascii: "-")
        if negative { index = 1 }
        let integerStart = index
        var significand: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenPoint = false
        while index < text.count {
            let byte = text[index]
            if byte &- UInt8(ascii: "0") < 10 {
                digits += 1
                if digits > 19 { return nil }
                significand = significand &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
                if seenPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint, digits > 0 {
                seenPoint = true
            } else {
                return nil
            }
            index += 1
        }
        // JSON's grammar: digits before the point, at least one after it, no leading zero before another digit.
        let integerDigits = digits - fractionDigits
        guard integerDigits > 0, !seenPoint || fractionDigits > 0,
              integerDigits == 1 || text[integerStart] != UInt8(ascii: "0")
        else { return nil }
        if significand == 0 {
            // Foundation keeps a zero's scale ("0.00"); only a bare zero is read here.
            return fractionDigits == 0 ? Decimal() : nil
        }
        // `Decimal(UInt64)` strips trailing zeros into the exponent and marks the value compact, as the parser's
        // final `compact()` does; the sign and the point then only move the exponent and the sign bit.
        return Decimal(sign: negative ? .minus : .plus, exponent: -fractionDigits, significand: Decimal(significand))
    }

    /// The number a stored decimal column holds (`"\(decimal)"`), read as `Decimal(string:)` reads it.
    public static func read(_ text: String) -> Decimal? {
        var text = text
        let plain = text.withUTF8 { plainNumber($0) }
        return plain ?? Decimal(string: text)
    }

    /// The significand when it fits 64 bits, read from the value's storage (checked once against Foundation's
    /// own conversions: on any other layout every value goes through `description`).
    static func smallSignificand(of value: Decimal) -> UInt64? {
        guard layoutIsKnown else { return nil }
        let (low, high) = significandWords(of: value)
        return high == 0 ? low : nil
    }

    /// Foundation's `Decimal` (swift-foundation and Darwin's `NSDecimal` alike): 4 bytes of exponent, length and
    /// flags, then the 128-bit significand as eight little-endian 16-bit words.
    private static func significandWords(of value: Decimal) -> (low: UInt64, high: UInt64) {
        withUnsafeBytes(of: value) { raw in
            (raw.loadUnaligned(fromByteOffset: 4, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 12, as: UInt64.self))
        }
    }

    static let layoutIsKnown: Bool = {
        guard MemoryLayout<Decimal>.size == 20, let wide = Decimal(string: "1208925819614629174706175"),
              let scaled = Decimal(string: "-1234567.891")
        else { return false }
        let samples: [(Decimal, UInt64, UInt64)] = [
            (Decimal(7 as UInt64), 7, 0), (Decimal(0x1234_5678_9ABC_DEF1 as UInt64), 0x1234_5678_9ABC_DEF1, 0),
            (scaled, 1_234_567_891, 0), (wide, .max, 0xFFFF),
        ]
        return samples.allSatisfy { value, low, high in significandWords(of: value) == (low, high) }
    }()
}
