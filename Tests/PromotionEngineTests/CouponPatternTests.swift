import PromotionEngine
import Testing

@Suite struct CouponPatternTests {
    @Test func theSpaceCountsCharactersAfterTheApplicationsCaseRule() {
        let pattern = CouponPattern(pattern: "#####", validCharacters: ["a", "A"])
        #expect(pattern.space() == 32)
        #expect(pattern.space(normalize: { $0.uppercased() }) == 1)
    }

    @Test func aRequestTheNormalizedSpaceCannotHoldIsRefused() {
        let pattern = CouponPattern(pattern: "#####", validCharacters: ["a", "A"])
        #expect(pattern.check(numberOfCoupons: 5).isEmpty)
        let issues = pattern.check(numberOfCoupons: 5, normalize: { $0.lowercased() })
        #expect(issues.map(\.pointer) == ["/couponPattern"])
        #expect(issues.first?.message.contains("1 distinct codes") == true)
    }
}
