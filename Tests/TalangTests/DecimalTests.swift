import Foundation
import Testing

@testable import Talang

@Suite struct DecimalTests {
    @Test func layoutIsRecognisedOnThisPlatform() {
        // Not required for correctness (Foundation is the fallback), but the fast path should be on.
        #expect(SmallDecimal.layoutIsKnown)
    }

    @Test func fastComparisonAgreesWithFoundation() {
        var rng = FuzzTests.Generator(state: 7)
        let samples = [
            "0", "-0", "1", "-1", "0.1", "0.10", "100", "1e2", "99.99", "-99.99", "9223372036854775807",
            "-9223372036854775807", "9223372036854775808", "1e38", "1e-38", "123456789012345678901234567890",
            "0.000000000000000000001", "5e18", "50e17", "-3.14159", "12.5", "12.50000",
        ].compactMap { Decimal(string: $0, locale: nil) }
        var values = samples
        for _ in 0..<2000 {
            let significand = Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &rng)
            let exponent = Int.random(in: -20...20, using: &rng)
            values.append(Decimal(sign: significand < 0 ? .minus : .plus, exponent: exponent,
                significand: Decimal(significand.magnitude)))
        }
        for (index, a) in values.enumerated() {
            for b in [values[(index * 7) % values.count], values[(index + 1) % values.count], a] + samples {
                let expected = a < b ? -1 : (a == b ? 0 : 1)
                #expect(DecimalArithmetic.compare(a, b) == expected, "\(a) vs \(b)")
            }
        }
    }

    @Test func fastArithmeticAgreesWithFoundation() throws {
        var rng = FuzzTests.Generator(state: 11)
        func random() -> Decimal {
            let significand = Int64.random(in: -10_000_000_000...10_000_000_000, using: &rng)
            return Decimal(sign: significand < 0 ? .minus : .plus, exponent: Int.random(in: -12...12, using: &rng),
                significand: Decimal(significand.magnitude))
        }
        for _ in 0..<3000 {
            let a = random()
            let b = random()
            #expect(try DecimalArithmetic.add(a, b) == a + b, "\(a) + \(b)")
            #expect(try DecimalArithmetic.subtract(a, b) == a - b, "\(a) - \(b)")
            #expect(try DecimalArithmetic.multiply(a, b) == a * b, "\(a) * \(b)")
        }
        let big = Decimal(string: "9223372036854775807") ?? 0
        #expect(try DecimalArithmetic.add(big, 1) == big + 1)
        #expect(try DecimalArithmetic.multiply(big, big) == big * big)
        #expect(try DecimalArithmetic.add(Decimal(string: "1.50") ?? 0, 0).description == "1.5")
    }

    @Test func arithmeticFailuresAreErrors() {
        #expect(throws: TalangFailure.self) { try DecimalArithmetic.divide(1, 0) }
        #expect(throws: TalangFailure.self) { try DecimalArithmetic.modulo(1, 0) }
        let huge = Decimal(sign: .plus, exponent: 120, significand: 9)
        #expect(throws: TalangFailure.self) { try DecimalArithmetic.multiply(huge, huge) }
        #expect(DecimalArithmetic.exactInt(Decimal(string: "3") ?? 0) == 3)
        #expect(DecimalArithmetic.exactInt(Decimal(string: "3.5") ?? 0) == nil)
        #expect(DecimalArithmetic.exactInt(huge) == nil)
    }

    @Test func moneyStaysExact() throws {
        #expect(try Eval.run("(* 3 (/ 10 3))") == .decimal(Decimal(string: "9.9999999999999999999999999999999999999") ?? 0))
        #expect(try Eval.run("(round (* 3 (/ 10 3)) 2)") == 10)
        #expect(try Eval.run("(- 0.3 0.1 0.2)") == 0)
        #expect(try Eval.run("(sum (list 19.99 0.01 80))") == 100)
    }
}
