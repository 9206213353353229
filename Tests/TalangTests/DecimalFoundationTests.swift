import Foundation
import Testing

@testable import Talang

/// Every integer fast path gives Foundation's own result, in the same storage bytes (so the same text
/// on the wire), over random values and the edge cases: negative, zero, large, many decimals, ties.
@Suite struct DecimalFoundationTests {
    /// The 20 bytes of a `Decimal`: exponent, length and flags, mantissa.
    static func bytes(_ value: Decimal) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }

    static func decimal(_ significand: Int64, _ exponent: Int) -> Decimal {
        Decimal(sign: significand < 0 ? .minus : .plus, exponent: exponent, significand: Decimal(significand.magnitude))
    }

    /// Significands of every size (1 digit to 63 bits), both signs, exponents -20 … 20.
    static func randomDecimal(_ rng: inout FuzzTests.Generator, exponents: ClosedRange<Int> = -20...20) -> Decimal {
        let digits = Int.random(in: 1...18, using: &rng)
        var significand = Int64.random(in: 1...(Int64(WideDecimal.powersOfTen[digits]) - 1), using: &rng)
        if Int.random(in: 0..<8, using: &rng) == 0 { significand = Int64.random(in: 1...Int64.max, using: &rng) }
        if Bool.random(using: &rng) { significand = -significand }
        return decimal(significand, Int.random(in: exponents, using: &rng))
    }

    static let edges: [Decimal] = [
        "0", "1", "-1", "0.1", "-0.1", "3", "7", "0.05", "100", "86400", "-86400", "0.000000001", "12.5", "99.99",
        "1e18", "9223372036854775807", "-9223372036854775807", "1234567890.123456789", "0.3333", "2.345", "-2.345",
        "0.005", "-0.005", "1e-20", "1e20", "123456789012345678901234567890",
    ].map { Decimal(string: $0, locale: nil)! }

    static func expectSame(_ fast: Decimal, _ foundation: Decimal, _ what: String) {
        #expect(bytes(fast) == bytes(foundation), "\(what): \(fast) vs Foundation's \(foundation)")
    }

    @Test func sumsDifferencesAndProductsAreFoundations() {
        var rng = FuzzTests.Generator(state: 23)
        var values = Self.edges
        for _ in 0..<3000 { values.append(Self.randomDecimal(&rng, exponents: -12...12)) }
        for (index, a) in values.enumerated() {
            for b in [values[(index * 7 + 3) % values.count], values[(index + 1) % values.count], a, 0] {
                Self.expectSame(DecimalMath.sum(a, b), a + b, "\(a) + \(b)")
                Self.expectSame(DecimalMath.difference(a, b), a - b, "\(a) - \(b)")
                Self.expectSame(DecimalMath.product(a, b), a * b, "\(a) * \(b)")
            }
        }
    }

    @Test func divisionIsFoundations() {
        var rng = FuzzTests.Generator(state: 29)
        var values = Self.edges
        for _ in 0..<4000 { values.append(Self.randomDecimal(&rng)) }
        var checked = 0
        for (index, a) in values.enumerated() {
            for b in [values[(index * 13 + 5) % values.count], values[(index + 1) % values.count], a] + Self.edges
            where !b.isZero {
                Self.expectSame(DecimalMath.quotient(a, b), a / b, "\(a) / \(b)")
                checked += 1
            }
        }
        #expect(checked > 100_000)
        #expect(DecimalMath.quotient(1, 0).isNaN)
        // The fast path is taken where it should be: a day's share of a span in nanoseconds, a percentage.
        let span = Self.decimal(2_303_456_789_123_456_789, -9)
        #expect(SmallDecimal(span)!.quotientLikeFoundation(dividingBy: SmallDecimal(86_400)!) != nil)
        #expect(SmallDecimal(20)!.quotientLikeFoundation(dividingBy: SmallDecimal(100)!) != nil)
    }

    @Test func roundingIsFoundations() {
        var rng = FuzzTests.Generator(state: 31)
        var values = Self.edges
        for _ in 0..<4000 { values.append(Self.randomDecimal(&rng, exponents: -12...4)) }
        // Ties and near-ties at two places, both signs.
        for text in ["2.345", "2.355", "-2.345", "0.005", "-0.005", "0.0049999", "-0.0050001", "1.995", "-1.995",
                     "999.995", "0.125", "0.135", "12.3450000001", "7.5", "-7.5", "0.5", "-0.5", "1.00", "1.10"] {
            values.append(Decimal(string: text, locale: nil)!)
        }
        for value in values {
            for places in [-3, -1, 0, 1, 2, 3, 6] {
                for mode in [NSDecimalNumber.RoundingMode.plain, .up, .down, .bankers] {
                    var input = value
                    var expected = Decimal()
                    NSDecimalRound(&expected, &input, places, mode)
                    Self.expectSame(DecimalMath.round(value, places: places, mode: mode), expected,
                                    "round(\(value), \(places), \(mode.rawValue))")
                }
            }
        }
    }

    @Test func comparisonMatchesFoundationForWideValues() {
        var rng = FuzzTests.Generator(state: 37)
        var values = Self.edges
        for _ in 0..<1500 {
            let a = Self.randomDecimal(&rng)
            values.append(a)
            values.append(a / Self.randomDecimal(&rng, exponents: -3...3))  // up to 38 digits
        }
        values.append(Decimal.greatestFiniteMagnitude)
        values.append(Decimal.leastFiniteMagnitude)
        for (index, a) in values.enumerated() {
            for b in [values[(index * 11 + 1) % values.count], values[(index + 1) % values.count], a] {
                let expected = a < b ? -1 : (a == b ? 0 : 1)
                #expect(DecimalMath.compare(a, b) == expected, "\(a) vs \(b)")
            }
        }
        #expect(DecimalMath.max(1, 2) == 2 && DecimalMath.min(1, 2) == 1)
    }

    @Test func timeSpansAndDaysAreFoundations() throws {
        var rng = FuzzTests.Generator(state: 41)
        var times: [TalangTime] = [
            TalangTime(seconds: 0)!, TalangTime(seconds: 1_800_000_000, nanoseconds: 999_999_999)!,
            TalangTime(seconds: 4_070_908_800)!, TalangTime(seconds: TalangTime.minSeconds)!,
            TalangTime(seconds: TalangTime.maxSeconds, nanoseconds: 1)!, TalangTime(seconds: -1, nanoseconds: 5)!,
        ]
        for _ in 0..<2000 {
            let near = Int64.random(in: 1_700_000_000...4_200_000_000, using: &rng)
            let anywhere = Int64.random(in: TalangTime.minSeconds...TalangTime.maxSeconds, using: &rng)
            let nanoseconds = Bool.random(using: &rng) ? 0 : Int32.random(in: 0..<1_000_000_000, using: &rng)
            times.append(TalangTime(seconds: Bool.random(using: &rng) ? near : anywhere, nanoseconds: nanoseconds)!)
        }
        for (index, a) in times.enumerated() {
            for b in [times[(index * 17 + 2) % times.count], times[(index + 1) % times.count], a] {
                let foundation = Decimal(a.seconds - b.seconds)
                    + Decimal(Int(a.nanoseconds) - Int(b.nanoseconds)) / 1_000_000_000
                let span = a.secondsSince(b)
                Self.expectSame(span, foundation, "\(a) - \(b)")
                Self.expectSame(try DecimalArithmetic.divide(span, 86_400), foundation / 86_400, "days \(a) - \(b)")
            }
        }
    }

    @Test func daysThroughTheLanguage() throws {
        let now = TalangTime(seconds: 1_800_000_000, nanoseconds: 123_456_789)!
        let compiled = try Talang.compile(Talang.parse("(days 2099-01-01T00:00:00Z)"), in: .core)
        let value = try compiled.evaluate(now: now)
        let expected = (Decimal(4_070_908_800 - 1_800_000_000) + Decimal(-123_456_789) / 1_000_000_000) / 86_400
        #expect(value.decimalValue.map(Self.bytes) == Self.bytes(expected))
    }
}
