import Foundation
import PromotionEngine
import Testing

/// The engine's money (cart totals, rounding, discounts) is computed with integer fast paths; these hold
/// it to what Foundation's `Decimal` gives, byte for byte (the stored and answered text depends on it).
@Suite struct MoneyFastPathTests {
    static func bytes(_ value: Decimal) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }

    /// A seeded linear congruential generator: the same values on every run.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }

    static func price(_ rng: inout Generator) -> Decimal {
        let cents = Int64.random(in: 0...5_000_000, using: &rng)
        let places = Int.random(in: 0...4, using: &rng)
        return Decimal(sign: .plus, exponent: -places, significand: Decimal(cents))
    }

    @Test func roundingToTheMinorUnitIsFoundations() {
        var rng = Generator(state: 5)
        var values = ["2.345", "-2.345", "0.005", "0.015", "-0.015", "1.995", "0.004999", "149.955", "0", "-0.001",
                      "12345678901234.565", "0.1234567890123456789"].map { Decimal(string: $0, locale: nil)! }
        for _ in 0..<3000 {
            let value = Self.price(&rng) * Decimal(sign: .plus, exponent: -Int.random(in: 0...3, using: &rng), significand: 7)
            values.append(Bool.random(using: &rng) ? value : -value)
        }
        for value in values {
            for currency in ["EUR", "JPY", "KWD"] {
                var input = value
                var expected = Decimal()
                NSDecimalRound(&expected, &input, Money.scale(for: currency), .plain)
                #expect(Self.bytes(Money.round(value, currency: currency)) == Self.bytes(expected), "\(value) \(currency)")
            }
        }
    }

    @Test func cartTotalsAreFoundations() {
        var rng = Generator(state: 9)
        for n in 0..<300 {
            var items = (0..<Int.random(in: 0...6, using: &rng)).map { i in
                CartItem(sku: "sku-\(i)", quantity: Int.random(in: 1...20, using: &rng),
                         price: i == 3 ? nil : Self.price(&rng))
            }
            if n % 3 == 0, !items.isEmpty {
                items[0].additionalCosts = ["wrap": AdditionalCost(price: Self.price(&rng))]
            }
            var session = CustomerSession(integrationId: "s\(n)", applicationId: 1, profileId: nil, couponCodes: [],
                                          cartItems: items, attributes: [:], created: now, updated: now)
            session.additionalCosts = n % 2 == 0 ? ["shipping": AdditionalCost(price: Self.price(&rng))] : [:]
            let itemTotal = items.reduce(Decimal(0)) { $0 + ($1.price ?? 0) * Decimal($1.quantity) }
            let itemCosts = items.reduce(Decimal(0)) { sum, item in
                sum + (item.additionalCosts ?? [:]).values.reduce(Decimal(0)) { $0 + $1.price } * Decimal(item.quantity)
            }
            let costTotal = session.additionalCosts.values.reduce(Decimal(0)) { $0 + $1.price } + itemCosts
            #expect(Self.bytes(session.cartItemTotal) == Self.bytes(itemTotal))
            #expect(Self.bytes(session.additionalCostTotal) == Self.bytes(costTotal))
            #expect(Self.bytes(session.total) == Self.bytes(itemTotal + costTotal))
        }
    }

    /// A percentage discount over random carts: the value Foundation would give, rounded and capped.
    @Test func percentageDiscountsAreFoundations() throws {
        let rule = RuleDefinition(title: "five percent", condition: .array([.string("and"), .bool(true)]), effects: [
            try JSONDecoder().decode(JSONValue.self, from: Data(#"["setDiscount", "five", ["*", [".", "Session", "Total"], 0.05]]"#.utf8)),
        ])
        let program = CampaignProgram(campaignId: 1, rulesetId: 1, name: "five",
                                      rules: try RulesetCompiler.compile([rule], cascading: false))
        var rng = Generator(state: 13)
        for n in 0..<300 {
            let items = (0..<Int.random(in: 1...5, using: &rng)).map { i in
                CartItem(sku: "sku-\(i)", quantity: Int.random(in: 1...3, using: &rng), price: Self.price(&rng))
            }
            let session = CustomerSession(integrationId: "s\(n)", applicationId: 1, profileId: nil, couponCodes: [],
                                          cartItems: items, attributes: [:], created: now, updated: now)
            let outcome = RuleEngine.evaluate(EvaluationInput(
                application: shop(), session: session, profile: nil, campaigns: [program], coupons: [], now: now))
            let total = items.reduce(Decimal(0)) { $0 + ($1.price ?? 0) * Decimal($1.quantity) }
            var desired = total * Decimal(string: "0.05")!
            var rounded = Decimal()
            NSDecimalRound(&rounded, &desired, 2, .plain)
            let expected = Swift.min(rounded, total)
            #expect(outcome.effects.count == 1)
            #expect(outcome.effects.first?.discountValue.map(Self.bytes) == Self.bytes(expected), "\(total)")
        }
    }
}
