import Foundation
import PromotionEngine
import Testing

/// Earning and redeeming loyalty points in rules: explicit rounding, Decimal only, spends bounded by the balance.
@Suite struct LoyaltyRuleTests {
    static let program = LoyaltyProgram(
        id: 5, accountId: 1, created: now,
        settings: LoyaltyProgramSettings(name: "points", title: "Points", subscribedApplications: [1],
                                         defaultValidity: "30D", defaultPending: "2D_D")
    )

    static func loyaltyCampaign(_ effect: @escaping @Sendable (RuleScope) throws -> Void) -> CampaignProgram {
        CampaignProgram(campaignId: 20, rulesetId: 200, name: "loyalty", usesCoupons: false,
                        rules: [CompiledRule(title: "points", condition: { _ in true }, effects: [effect])])
    }

    static func run(_ campaigns: [CampaignProgram], active: Decimal, total: Decimal = 123) -> EvaluationOutcome {
        var session = tutorialSession(codes: [], profileId: "alice")
        session.cartItems = [CartItem(name: "Thing", sku: "t", quantity: 1, price: total)]
        var input = EvaluationInput(application: shop(), session: session, profile: nil, campaigns: campaigns,
                                    coupons: [], now: now)
        input.loyalty = [LoyaltyStanding(program: program, activePoints: ["": active])]
        return RuleEngine.evaluate(input)
    }

    @Test func earnRoundingIsExplicit() {
        let amount = Decimal(string: "95.50")!
        #expect(LoyaltyPoints.earned(amount: amount, per: 10, points: 1, rounding: .down) == 9)
        #expect(LoyaltyPoints.earned(amount: amount, per: 10, points: 1, rounding: .up) == 10)
        #expect(LoyaltyPoints.earned(amount: amount, per: 10, points: 1, rounding: .nearest) == 10)
        #expect(LoyaltyPoints.earned(amount: Decimal(string: "94.99")!, per: 10, points: 1, rounding: .nearest) == 9)
        #expect(LoyaltyPoints.earned(amount: amount, per: 10, points: 1, rounding: .exact) == Decimal(string: "9.55")!)
        #expect(LoyaltyPoints.earned(amount: amount, per: 10, points: 3, rounding: .down) == 27)
        #expect(LoyaltyPoints.earned(amount: amount, per: 0, points: 1, rounding: .down) == 0)
    }

    @Test func durationsFollowTheCalendarOfTheProgramsTimeZone() throws {
        let utc = TimeZone(identifier: "UTC")!
        let start = try Date("2026-01-30T10:15:00Z", strategy: .iso8601)
        #expect(LoyaltyDuration("30s")?.end(from: start, timeZone: utc) == start.addingTimeInterval(30))
        #expect(LoyaltyDuration("2D_D")?.end(from: start, timeZone: utc) == (try Date("2026-02-01T00:00:00Z", strategy: .iso8601)))
        #expect(LoyaltyDuration("1M_U")?.end(from: start, timeZone: utc) == (try Date("2026-02-28T23:59:59Z", strategy: .iso8601)))
        #expect(LoyaltyDuration("1W")?.end(from: start, timeZone: utc) == start.addingTimeInterval(7 * 86400))
        #expect(LoyaltyDuration("5x") == nil)
        #expect(LoyaltyDuration("1h_U") == nil)
        #expect(LoyaltyDuration("3M_D") == nil)
    }

    @Test func earnedPointsArePendingAndExpireAsTheProgramSays() throws {
        let outcome = Self.run([Self.loyaltyCampaign { scope in
            try scope.addLoyaltyPoints(programId: 5, points: LoyaltyPoints.earned(
                amount: scope.session.total, per: 10, points: 1, rounding: .down
            ))
        }], active: 0, total: Decimal(string: "95.50")!)
        guard case .addLoyaltyPoints(let added)? = outcome.effects.first?.kind else {
            Issue.record("no addLoyaltyPoints effect: \(outcome.effects)")
            return
        }
        #expect(added.value == 9)
        #expect(added.recipientIntegrationId == "alice")
        let start = Calendar(identifier: .gregorian).startOfDay(for: now.addingTimeInterval(2 * 86400))
        #expect(added.startDate == start)
        #expect(added.expiryDate == start.addingTimeInterval(30 * 86400))
        #expect(added.props(for: .addLoyaltyPoints)["programId"] == .number(5))
    }

    @Test func redeemingIsBoundedByTheBalance() {
        let redeem = Self.loyaltyCampaign { scope in try scope.redeemLoyaltyPoints(programId: 5, points: 50, value: 5) }
        let enough = Self.run([redeem], active: 60)
        #expect(enough.effects.map(\.type) == [.setDiscount, .deductLoyaltyPoints])
        #expect(discountValues(enough) == [5])
        // Two redemptions of 50 from 60 points: the second rule does not apply, as a whole.
        let twice = Self.run([redeem, redeem], active: 60)
        #expect(twice.effects.map(\.type) == [.setDiscount, .deductLoyaltyPoints])
        #expect(Self.run([redeem], active: Decimal(string: "49.99")!).effects.isEmpty)
    }

    @Test func aDiscountCappedByTheCartSpendsPointsInProportion() {
        let outcome = Self.run([Self.loyaltyCampaign { scope in
            try scope.redeemLoyaltyPoints(programId: 5, points: 100, value: 30)
        }], active: 100, total: 20)
        #expect(discountValues(outcome) == [20])
        guard case .deductLoyaltyPoints(let deducted)? = outcome.effects.last?.kind else {
            Issue.record("no deductLoyaltyPoints effect")
            return
        }
        #expect(deducted.value == Decimal(string: "66.67")!)
    }

    @Test func anonymousSessionsEarnNothing() {
        var input = EvaluationInput(
            application: shop(), session: tutorialSession(codes: []), profile: nil,
            campaigns: [Self.loyaltyCampaign { try $0.addLoyaltyPoints(programId: 5, points: 10) }], coupons: [], now: now
        )
        input.loyalty = [LoyaltyStanding(program: Self.program)]
        #expect(RuleEngine.evaluate(input).effects.isEmpty)
    }
}
