import Foundation

/// Generates coupon codes from a pattern: each `#` becomes a random valid character; the rest is kept.
///
/// A pattern without `#` is one exact code. Randomness comes from the system's secure generator, so
/// codes cannot be guessed from each other.
public struct CouponPattern: Sendable {
    public var pattern: String
    public var validCharacters: [Character]

    public static let defaultCharacters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    public init(pattern: String, validCharacters: [Character]? = nil) {
        self.pattern = pattern
        self.validCharacters = (validCharacters?.isEmpty == false ? validCharacters : nil) ?? Self.defaultCharacters
    }

    public var placeholderCount: Int { pattern.filter { $0 == "#" }.count }

    /// How many distinct codes the pattern can produce once `normalize` (the application's case rule) has
    /// been applied, saturating at `Int.max`: `["a", "A"]` on a case-insensitive application is one character.
    public func space(normalize: (String) -> String = { $0 }) -> Int {
        let distinct = Set(validCharacters.map { normalize(String($0)) }).count
        var total = 1
        for _ in 0..<placeholderCount {
            let (product, overflow) = total.multipliedReportingOverflow(by: distinct)
            if overflow { return .max }
            total = product
        }
        return total
    }

    /// Refuses requests that would need more than half the space: generation would slow to a crawl
    /// hunting for the last free codes.
    public func check(numberOfCoupons: Int, normalize: (String) -> String = { $0 }) -> [ValidationIssue] {
        if numberOfCoupons < 1 {
            return [.init(pointer: "/numberOfCoupons", message: "must be at least 1")]
        }
        if placeholderCount == 0 {
            return numberOfCoupons == 1 ? [] : [.init(
                pointer: "/couponPattern",
                message: "a pattern without # makes exactly one code; add # placeholders to generate \(numberOfCoupons)"
            )]
        }
        let space = space(normalize: normalize)
        if numberOfCoupons > space / 2 {
            return [.init(
                pointer: "/couponPattern",
                message: "the pattern can make \(space) distinct codes (after the application's case rule), too few for \(numberOfCoupons) unique ones; add # placeholders or characters"
            )]
        }
        return []
    }

    public func generate(using generator: inout some RandomNumberGenerator) -> String {
        String(pattern.map { $0 == "#" ? validCharacters.randomElement(using: &generator)! : $0 })
    }

    /// A code from the system's secure generator.
    @Sendable public func randomCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// The codes of coupons that rules create: 36^10 ≈ 3.7·10^15 of them, so a collision (which the
    /// commit detects and answers by evaluating again) is rare.
    public static let createdByRules = CouponPattern(pattern: "RC-#####-#####")
}
