// Promotion engine benchmark: `swift run -c release EngineBenchmarks [--applicable K] [campaigns…]`.
//
// The engine alone (no HTTP, no storage): the campaign mix of `scripts/bench` (a quarter each of coupon,
// cart-item, attribute and time conditions, each needing a cart item of one of 10 categories, so 10 %
// match a cart), compiled from Talang as a saved ruleset is, evaluated over the bench's 5-item carts with
// a coupon in 30 % of them. With `--applicable K` only the first K campaigns can match a cart; the others
// need a category no cart has (the issue's curve: the same few applicable among ever more campaigns).
// Evaluates with the campaign index the server builds per lineup, and without it for comparison. Reports the
// best batch's mean in µs per evaluation for each campaign count.
import Foundation
import PromotionEngine

func json(_ text: String) -> JSONValue {
    try! JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
}

var arguments = Array(CommandLine.arguments.dropFirst())
let applicableFlag = arguments.firstIndex(of: "--applicable")
let applicable = applicableFlag.flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? Int.max
if let flag = applicableFlag { arguments.removeSubrange(flag...min(flag + 1, arguments.count - 1)) }

/// Campaign `i` of the bench: matches carts of category `cat-(i % 10)` (or none, past `applicable`).
func program(_ i: Int, applicable: Int) -> CampaignProgram {
    let category = i < applicable ? "cat-\(i % 10)" : "never-\(i)"
    let cart = #"["exists", [".", "Session", "CartItems"], [["Item"], ["=", [".", "Item", "Category"], "\#(category)"]]]"#
    let condition: String
    switch (i / 10) % 4 {
    case 0: condition = #"["and", ["couponValid"], \#(cart)]"#
    case 1: condition = cart
    case 2: condition = #"["and", \#(cart), ["!=", [".", "Session", "Attributes", "ShippingMethod"], "drone"]]"#
    default: condition = #"["and", \#(cart), ["<", ["days", "2099-01-01T00:00:00Z"], 100000]]"#
    }
    let rule = RuleDefinition(title: "campaign \(i)", condition: json(condition),
                              effects: [json(#"["setDiscount", "campaign \#(i)", ["*", [".", "Session", "Total"], 0.05]]"#)])
    return CampaignProgram(campaignId: Int64(i + 1), rulesetId: Int64(i + 1), name: "bench \(i)",
                           usesCoupons: (i / 10) % 4 == 0,
                           rules: try! RulesetCompiler.compile([rule], cascading: false))
}

let now = Date()
let application = Application(id: 1, accountId: 1, created: now, modified: now,
                              settings: ApplicationSettings(name: "bench", timezone: "UTC", currency: "EUR"))
var random = SystemRandomNumberGenerator()
let sessions: [(CustomerSession, [Coupon])] = (0..<64).map { n in
    let category = Int.random(in: 0..<10, using: &random)
    let items = (1...5).map { i in
        CartItem(name: "item \(i)", sku: "sku-\(category)-\(i)", quantity: Int.random(in: 1...3, using: &random),
                 price: Decimal(Int.random(in: 500...12000, using: &random)) / 100, category: "cat-\(category)")
    }
    let withCoupon = n % 10 < 3
    let session = CustomerSession(integrationId: "s\(n)", applicationId: 1, profileId: "p-\(n)",
                                  couponCodes: withCoupon ? ["B-\(n)"] : [], cartItems: items,
                                  attributes: ["ShippingMethod": .string("truck")], created: now, updated: now)
    // The coupon belongs to the first coupon campaign of the cart's category, as most bench coupons
    // name a campaign whose cart condition then decides.
    let coupons = withCoupon ? [Coupon(id: Int64(n), campaignId: Int64(category + 1), value: "B-\(n)")] : []
    return (session, coupons)
}

let counts = arguments.compactMap { Int($0) }
for campaignCount in counts.isEmpty ? [10, 100, 1000] : counts {
    let programs = (0..<campaignCount).map { program($0, applicable: applicable) }
    let index = CampaignIndex(programs)
    func batch(_ iterations: Int, indexed: Bool) -> Duration {
        let clock = ContinuousClock()
        let started = clock.now
        var effects = 0
        for i in 0..<iterations {
            let (session, coupons) = sessions[i % sessions.count]
            var input = EvaluationInput(
                application: application, session: session, profile: nil, campaigns: programs, coupons: coupons, now: now
            )
            if indexed { input.campaignIndex = index }
            let outcome = RuleEngine.evaluate(input)
            effects &+= outcome.effects.count
        }
        precondition(effects > 0, "the campaigns should trigger")
        return (clock.now - started) / iterations
    }
    func micros(indexed: Bool) -> Double {
        _ = batch(200, indexed: indexed)
        var best = Duration.seconds(1)
        let iterations = max(20, 20_000 / campaignCount)
        for _ in 0..<15 { best = min(best, batch(iterations, indexed: indexed)) }
        return Double(best.components.attoseconds) / 1e12 + Double(best.components.seconds) * 1e6
    }
    print(String(format: "%5d campaigns: %8.1f µs per evaluation (without the index: %8.1f µs)",
                 campaignCount, micros(indexed: true), micros(indexed: false)))
}
