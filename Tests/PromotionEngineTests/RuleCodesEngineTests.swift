import Foundation
import PromotionEngine
import Testing

/// `reserveCoupon` and `createReferral` as rules write them: effects only when the session closes, for its customer,
/// and a referral only from a campaign with the `referrals` feature, drawn from its pattern.
@Suite struct RuleCodesEngineTests {
    static func program(_ effects: String, referralPattern: CouponPattern? = nil) throws -> CampaignProgram {
        guard case .array(let list) = try json(effects) else { throw EffectError("effects must be a list") }
        let rules = [RuleDefinition(title: "codes", condition: .array([.string("and"), .bool(true)]), effects: list)]
        var program = CampaignProgram(campaignId: 30, rulesetId: 300, name: "codes",
                                      rules: try RulesetCompiler.compile(rules, cascading: false))
        program.referralCodePattern = referralPattern
        return program
    }

    static func run(_ program: CampaignProgram, state: SessionState, profileId: String? = "alice") -> EvaluationOutcome {
        var session = tutorialSession(codes: [], profileId: profileId)
        session.state = state
        return evaluate(session, campaigns: [program])
    }

    @Test func aClosingSessionReservesTheCodeForItsCustomer() throws {
        let program = try Self.program(#"[["reserveCoupon", "VIP-1"], ["setDiscount", "kept", 1]]"#)
        let closed = Self.run(program, state: .closed)
        #expect(closed.effects.map(\.type) == [.reserveCoupon, .setDiscount])
        #expect(closed.effects.first?.couponReservation
            == CouponReservationEffect(couponValue: "VIP-1", profileIntegrationId: "alice", isNewReservation: true))
        #expect(Self.run(program, state: .open).effects.map(\.type) == [.setDiscount])
        // Nobody to reserve for: the rule cannot apply, its other effects go with it.
        #expect(Self.run(program, state: .closed, profileId: nil).effects.isEmpty)
    }

    @Test func aClosingSessionMakesReferralsFromTheCampaignsPattern() throws {
        let pattern = CouponPattern(pattern: "FRIEND-###", validCharacters: ["X"])
        let program = try Self.program(#"[["createReferral"], ["createReferral", "buddy"]]"#, referralPattern: pattern)
        let created = Self.run(program, state: .closed).effects.compactMap { effect -> ReferralCreation? in
            if case .referralCreated(let creation) = effect.kind { creation } else { nil }
        }
        #expect(created == [
            ReferralCreation(code: "FRIEND-XXX", advocateProfileIntegrationId: "alice"),
            ReferralCreation(code: "FRIEND-XXX", advocateProfileIntegrationId: "alice", friendProfileIntegrationId: "buddy"),
        ])
        #expect(Self.run(program, state: .open).effects.isEmpty)
        // Not a referral campaign, or no advocate: nothing is made.
        #expect(Self.run(try Self.program(#"[["createReferral"]]"#), state: .closed).effects.isEmpty)
        #expect(Self.run(program, state: .closed, profileId: nil).effects.isEmpty)
    }

    @Test func theEffectsKeepTheSpecsPropsThroughStorage() throws {
        let origin = EffectOrigin(campaignId: 30, rulesetId: 300, ruleIndex: 0, ruleName: "codes")
        let reservation = Effect(origin: origin, kind: .reserveCoupon(
            CouponReservationEffect(couponValue: "VIP-1", profileIntegrationId: "alice", isNewReservation: false)
        ))
        let referral = Effect(origin: origin, kind: .referralCreated(
            ReferralCreation(code: "REF-1", advocateProfileIntegrationId: "alice")
        ))
        #expect(reservation.kind.props == ["couponValue": .string("VIP-1"), "profileIntegrationId": .string("alice"),
                                           "isNewReservation": .bool(false)])
        #expect(referral.kind.props == ["value": .string("REF-1")])
        let stored = try JSONDecoder().decode([Effect].self, from: JSONEncoder().encode([reservation, referral]))
        #expect(stored[0] == reservation)
        #expect(stored[1].kind == .referralCreated(ReferralCreation(code: "REF-1")))
    }

    @Test func conditionsMayNotCallThem() {
        let issues = RulesetCompiler.check([RuleDefinition(
            title: "bad", condition: .array([.string("reserveCoupon"), .string("VIP-1")]), effects: []
        )])
        #expect(!issues.isEmpty)
    }
}
