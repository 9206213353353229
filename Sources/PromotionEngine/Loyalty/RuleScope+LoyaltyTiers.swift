import Foundation

// Tiers in rules: the holder's stored tier brought to now, the upgrade an earning rule causes (Talon.One's
// `changeLoyaltyTierLevel`), and a rule that moves the holder to a tier by name.
extension RuleScope {
    /// The holder's tier in a program's (sub)ledger at `now`, from its stored tier and active points.
    func loyaltyTierStanding(programId: Int64, subledgerId: String = "") -> LoyaltyTierStanding? {
        guard let standing = loyalty[programId] else { return nil }
        return standing.program.settledTier(standing.tiers[subledgerId], points: standing.activePoints[subledgerId] ?? 0,
                                            joined: standing.joined, now: now, following: false)
    }

    /// After an active addition: a `changeLoyaltyTierLevel` effect when the points reach a higher tier.
    func announceTierUpgrade(_ added: LoyaltyPointsChange) {
        guard let standing = loyalty[added.programId], !standing.program.tiers.isEmpty else { return }
        let program = standing.program
        let before = loyaltyTierStanding(programId: added.programId, subledgerId: added.subledgerId)
        let points = loyaltyPoints(programId: added.programId, subledgerId: added.subledgerId) + added.value
        guard let after = program.settledTier(before, points: points, joined: standing.joined ?? now, now: now),
              let newRank = program.tierRank(after.name),
              newRank > (before.flatMap { program.tierRank($0.name) } ?? -1)
        else { return }
        pendingEffects.append(Effect(origin: origin, kind: .changeLoyaltyTierLevel(LoyaltyTierChange(
            ruleTitle: added.name, programId: added.programId, subledgerId: added.subledgerId,
            previousTierName: before?.name, newTierName: after.name, expiryDate: after.expiry,
            recipientIntegrationId: added.recipientIntegrationId, cardIdentifier: added.cardIdentifier
        ))))
    }

    /// `changeLoyaltyTierLevel`: moves the holder to the named tier when the session closes (its start is the
    /// close, its expiry as the program's tier policy says); the rule does not apply for an unknown tier.
    public func changeLoyaltyTierLevel(programId: Int64, tierName: String, subledgerId: String = "") throws {
        let (standing, profileId, card) = try loyaltyTarget(programId, function: "changeLoyaltyTierLevel")
        let program = standing.program
        guard program.tierRank(tierName) != nil else {
            throw EffectError("changeLoyaltyTierLevel: program \(programId) has no tier named \(tierName)")
        }
        let before = loyaltyTierStanding(programId: programId, subledgerId: subledgerId)
        pendingEffects.append(Effect(origin: origin, kind: .changeLoyaltyTierLevel(LoyaltyTierChange(
            ruleTitle: origin.ruleName, programId: programId, subledgerId: subledgerId,
            previousTierName: before?.name, newTierName: tierName,
            expiryDate: program.tierExpiry(enteredAt: now, joined: standing.joined ?? now),
            recipientIntegrationId: profileId, cardIdentifier: card
        ))))
    }
}
