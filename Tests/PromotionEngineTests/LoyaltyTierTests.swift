import Foundation
import PromotionEngine
import Testing

/// Tiers as the program's policies say: basic tiers follow the points, advanced tiers move up at once and are
/// reevaluated at their expiry (`one_down`, `balance_based`); rules see the stored tier and announce upgrades.
@Suite struct LoyaltyTierTests {
    static let day: TimeInterval = 86_400
    static let tiers = [LoyaltyTierSettings(name: "Silver", minPoints: 100), LoyaltyTierSettings(name: "Gold", minPoints: 500),
                        LoyaltyTierSettings(name: "Bronze", minPoints: 10)]

    static func program(expireIn: String? = nil, downgrade: String? = nil, expiration: String? = nil) -> LoyaltyProgram {
        var settings = LoyaltyProgramSettings(name: "tiers", title: "Tiers", subscribedApplications: [1], tiers: tiers)
        (settings.tiersExpireIn, settings.tiersDowngradePolicy, settings.tiersExpirationPolicy) =
            (expireIn, downgrade, expiration)
        return LoyaltyProgram(id: 7, accountId: 1, created: now, settings: settings)
    }

    @Test func basicTiersFollowThePointsOnWritesAndKeepASetTierOnReads() {
        let program = Self.program()
        let gold = program.settledTier(nil, points: 600, joined: now, now: now)
        #expect(gold == LoyaltyTierStanding(name: "Gold", start: now, expiry: nil))
        let later = now.addingTimeInterval(Self.day)
        #expect(program.settledTier(gold, points: 600, joined: now, now: later) == gold)  // unchanged: same start
        #expect(program.settledTier(gold, points: 150, joined: now, now: later)?.name == "Silver")
        #expect(program.settledTier(gold, points: 5, joined: now, now: later) == nil)
        // A tier set by a rule or an import stays until the points next change.
        let set = LoyaltyTierStanding(name: "Gold", start: now)
        #expect(program.settledTier(set, points: 5, joined: now, now: later, following: false) == set)
        #expect(program.nextTier(after: "Silver", points: 150)! == ("Gold", 350))
        #expect(program.nextTier(after: nil, points: 4)! == ("Bronze", 6))
        #expect(program.nextTier(after: "Gold", points: 900) == nil)
    }

    @Test func advancedTiersMoveUpAtOnceAndAreReevaluatedAtTheirExpiry() throws {
        let program = Self.program(expireIn: "30D")
        let silver = try #require(program.settledTier(nil, points: 120, joined: now, now: now))
        #expect(silver.expiry == now.addingTimeInterval(30 * Self.day))
        let tenDays = now.addingTimeInterval(10 * Self.day)
        // Points fall before the expiry: the tier is kept; they rise: the tier moves up from then.
        #expect(program.settledTier(silver, points: 20, joined: now, now: tenDays) == silver)
        let gold = try #require(program.settledTier(silver, points: 700, joined: now, now: tenDays))
        #expect(gold == LoyaltyTierStanding(name: "Gold", start: tenDays, expiry: tenDays.addingTimeInterval(30 * Self.day)))
        // balance_based (the default): at the expiry, the tier the points reach, starting at the expiry.
        let afterExpiry = now.addingTimeInterval(45 * Self.day)
        let bronze = try #require(program.settledTier(gold, points: 20, joined: now, now: afterExpiry))
        #expect(bronze.name == "Bronze" && bronze.start == gold.expiry)
        #expect(bronze.expiry == gold.expiry!.addingTimeInterval(30 * Self.day))
        // Still in the tier at the expiry: kept, with its start, for another period.
        let kept = program.settledTier(gold, points: 800, joined: now, now: afterExpiry)
        #expect(kept?.name == "Gold" && kept?.start == tenDays && kept?.expiry == gold.expiry!.addingTimeInterval(30 * Self.day))
    }

    @Test func oneDownDropsOneTierPerExpiry() throws {
        let program = Self.program(expireIn: "30D", downgrade: "one_down")
        let gold = LoyaltyTierStanding(name: "Gold", start: now, expiry: now.addingTimeInterval(30 * Self.day))
        let first = program.settledTier(gold, points: 0, joined: now, now: now.addingTimeInterval(31 * Self.day))
        #expect(first?.name == "Silver" && first?.start == gold.expiry)
        let second = program.settledTier(gold, points: 0, joined: now, now: now.addingTimeInterval(61 * Self.day))
        #expect(second?.name == "Bronze")
        #expect(program.settledTier(gold, points: 0, joined: now, now: now.addingTimeInterval(91 * Self.day)) == nil)
    }

    @Test func expiryPoliciesCountFromTheirOwnDates() {
        let joined = now.addingTimeInterval(-50 * Self.day)
        let byJoin = Self.program(expireIn: "30D", expiration: "program_join_date")
        #expect(byJoin.tierExpiry(enteredAt: now, joined: joined) == joined.addingTimeInterval(60 * Self.day))
        #expect(Self.program(expireIn: "30D", expiration: "customer_attribute").tierExpiry(enteredAt: now, joined: joined) == nil)
        var absolute = Self.program(expireIn: "30D", expiration: "absolute_expiration")
        absolute.settings.tierCycleStartDate = now.addingTimeInterval(-65 * Self.day)
        #expect(absolute.tierExpiry(enteredAt: now, joined: joined) == now.addingTimeInterval(25 * Self.day))
        #expect(Self.program().tierExpiry(enteredAt: now, joined: joined) == nil)
    }

    static func run(_ program: LoyaltyProgram, active: Decimal, stored: LoyaltyTierStanding? = nil,
                    _ effect: @escaping @Sendable (RuleScope) throws -> Void) -> EvaluationOutcome
    {
        let campaign = CampaignProgram(campaignId: 20, rulesetId: 200, name: "tiers", usesCoupons: false,
                                       rules: [CompiledRule(title: "Welcome", condition: { _ in true }, effects: [effect])])
        var input = EvaluationInput(application: shop(), session: tutorialSession(codes: [], profileId: "alice"),
                                    profile: nil, campaigns: [campaign], coupons: [], now: now)
        var standing = LoyaltyStanding(program: program, activePoints: ["": active])
        standing.tiers = stored.map { ["": $0] } ?? [:]
        input.loyalty = [standing]
        return RuleEngine.evaluate(input)
    }

    @Test func earningIntoAHigherTierAnnouncesTheUpgrade() throws {
        let program = Self.program(expireIn: "1Y")
        let outcome = Self.run(program, active: 90, stored: LoyaltyTierStanding(name: "Bronze", start: now)) {
            try $0.addLoyaltyPoints(programId: 7, points: 15)
        }
        #expect(outcome.effects.map(\.type) == [.addLoyaltyPoints, .changeLoyaltyTierLevel])
        guard case .changeLoyaltyTierLevel(let change)? = outcome.effects.last?.kind else { return }
        #expect(change.previousTierName == "Bronze" && change.newTierName == "Silver")
        #expect(change.props["newTierName"] == .string("Silver") && change.props["programId"] == .number(7))
        #expect(change.recipientIntegrationId == "alice")
        // Earning within the tier announces nothing.
        #expect(Self.run(program, active: 100) { try $0.addLoyaltyPoints(programId: 7, points: 1) }.effects.count == 1)
    }

    @Test func aRuleMovesTheHolderToANamedTier() throws {
        let program = Self.program(expireIn: "30D")
        let outcome = Self.run(program, active: 0) { try $0.changeLoyaltyTierLevel(programId: 7, tierName: "Gold") }
        guard case .changeLoyaltyTierLevel(let change)? = outcome.effects.first?.kind else {
            Issue.record("no changeLoyaltyTierLevel effect: \(outcome.effects)")
            return
        }
        #expect(change.newTierName == "Gold" && change.previousTierName == nil && change.ruleTitle == "Welcome")
        #expect(change.expiryDate == now.addingTimeInterval(30 * Self.day))
        let unknown = Self.run(program, active: 0) { try $0.changeLoyaltyTierLevel(programId: 7, tierName: "Platinum") }
        #expect(unknown.effects.isEmpty)
        // The stored tier is what rules read, not the tier the points alone would give.
        let reading = Self.run(program, active: 0, stored: LoyaltyTierStanding(name: "Gold", start: now)) { scope in
            if scope.loyaltyTier(programId: 7) == "Gold" { try scope.addLoyaltyPoints(programId: 7, points: 1) }
        }
        #expect(reading.effects.map(\.type) == [.addLoyaltyPoints])
    }
}
