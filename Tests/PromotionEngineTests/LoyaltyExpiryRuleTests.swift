import Foundation
import PromotionEngine
import Testing

/// `setLoyaltyPointsExpiryDate` and `extendLoyaltyPointsExpiryDate` in rules: tentative effects in the spec's props.
@Suite struct LoyaltyExpiryRuleTests {
    @Test func setAndExtendAreEffectsOfTheSessionsProfileInTheSpecsProps() throws {
        let date = try Date("2027-01-31T00:00:00Z", strategy: .iso8601)
        let outcome = LoyaltyRuleTests.run([LoyaltyRuleTests.loyaltyCampaign { scope in
            try scope.changeLoyaltyPointsExpiry(programId: 5, change: .set(date))
            try scope.changeLoyaltyPointsExpiry(programId: 5, change: .extend("1M_U"), subledgerId: "vip")
        }], active: 0)
        #expect(outcome.effects.map(\.type) == [.setLoyaltyPointsExpiryDate, .extendLoyaltyPointsExpiryDate])
        guard case .loyaltyPointsExpiry(let set)? = outcome.effects.first?.kind else {
            Issue.record("no expiry effect: \(outcome.effects)")
            return
        }
        #expect(set.recipientIntegrationId == "alice")
        let setProps = outcome.effects[0].kind.props
        #expect(setProps["newExpiryDate"] == .string("2027-01-31T00:00:00Z"))
        #expect(setProps["affectedTransactions"] == .array([]))
        let extendProps = outcome.effects[1].kind.props
        #expect(extendProps["extensionDuration"] == .string("1M_U"))
        #expect(extendProps["subLedgerId"] == .string("vip"))
        // Required by the spec; no lot changed yet while the session is open.
        #expect(extendProps["previousExpirationDate"] == .null)

        // Stored and read back in the document form.
        let decoded = try JSONDecoder().decode([Effect].self, from: JSONEncoder().encode(outcome.effects))
        #expect(decoded.map(\.kind.props) == outcome.effects.map(\.kind.props))
    }

    @Test func aDurationThatIsNoneDoesNotApply() {
        let outcome = LoyaltyRuleTests.run([LoyaltyRuleTests.loyaltyCampaign { scope in
            try scope.changeLoyaltyPointsExpiry(programId: 5, change: .extend("soon"))
        }], active: 0)
        #expect(outcome.effects.isEmpty)
        let unknownProgram = LoyaltyRuleTests.run([LoyaltyRuleTests.loyaltyCampaign { scope in
            try scope.changeLoyaltyPointsExpiry(programId: 6, change: .extend("30D"))
        }], active: 0)
        #expect(unknownProgram.effects.isEmpty)
    }

    @Test func theChangedLotsNameTheirEarliestPreviousDate() throws {
        let early = try Date("2026-03-01T00:00:00Z", strategy: .iso8601)
        var change = LoyaltyExpiryChange(programId: 5, subledgerId: "", change: .extend("30D"), recipientIntegrationId: "a")
        change.affectedTransactions = [
            LoyaltyExpiryDateChange(transactionUUID: "b", previousExpiryDate: early.addingTimeInterval(86400),
                                    newExpiryDate: early),
            LoyaltyExpiryDateChange(transactionUUID: "a", previousExpiryDate: early, newExpiryDate: early),
        ]
        #expect(EffectKind.loyaltyPointsExpiry(change).props["previousExpirationDate"] == .string("2026-03-01T00:00:00Z"))
    }
}
