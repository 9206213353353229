import Foundation
import PromotionEngine
import Storage

/// What a session's loyalty effects write: on close, the ledger entries of its `addLoyaltyPoints` and
/// `deductLoyaltyPoints` effects (points of an open session are tentative: shown, never written); on a cancel or
/// reopen, the rollback of those entries and the effects that say so. Pure.
enum LoyaltyChanges {
    /// The close's ledger entries, tier assignments and the movements its ``CloseLedger`` keeps; nil when it moves
    /// no points and assigns no tier.
    static func closing(_ effects: [Effect], sessionId: String, now: Date) -> (LoyaltyCommit, [LoyaltyMovement])? {
        var entries: [LoyaltyLedgerEntry] = []
        var movements: [LoyaltyMovement] = []
        var tiers: [LoyaltyTierAssignment] = []
        for effect in effects {
            let change: LoyaltyPointsChange
            let kind: LoyaltyEntryKind
            switch effect.kind {
            case .addLoyaltyPoints(let added): (change, kind) = (added, .earn)
            case .deductLoyaltyPoints(let deducted): (change, kind) = (deducted, .spend)
            case .changeLoyaltyTierLevel(let tier):
                tiers.append(LoyaltyTierAssignment(
                    programId: tier.programId,
                    holder: tier.cardIdentifier.map(LoyaltyHolder.card) ?? .profile(tier.recipientIntegrationId),
                    subledgerId: tier.subledgerId, tierName: tier.newTierName
                ))
                continue
            default: continue
            }
            let signed = kind == .earn ? change.value : -change.value
            var entry = LoyaltyLedgerEntry(
                programId: change.programId,
                holder: change.cardIdentifier.map(LoyaltyHolder.card) ?? .profile(change.recipientIntegrationId),
                subledgerId: change.subledgerId, kind: kind, amount: signed, startDate: change.startDate,
                awaitsActivation: change.awaitsActivation, expiryDate: change.expiryDate, name: change.name,
                transactionUUID: change.transactionUUID, customerSessionId: sessionId, created: now
            )
            entry.campaignId = effect.campaignId
            entry.rulesetId = effect.rulesetId
            entry.ruleName = effect.ruleName
            entries.append(entry)
            var movement = LoyaltyMovement(
                campaignId: effect.campaignId, programId: change.programId, subledgerId: change.subledgerId,
                profileId: change.recipientIntegrationId, points: signed, transactionUUID: change.transactionUUID
            )
            movement.cardIdentifier = change.cardIdentifier
            movements.append(movement)
        }
        guard !entries.isEmpty || !tiers.isEmpty else { return nil }
        var commit = LoyaltyCommit(entries: entries)
        commit.tierAssignments = tiers
        return (commit, movements)
    }

    /// `rollbackAddedLoyaltyPoints` and `rollbackDeductedLoyaltyPoints` for what a cancelled close moved and
    /// returns did not give back yet.
    static func rollbackEffects(_ movements: [LoyaltyMovement]) -> [Effect] {
        movements.compactMap { movement -> Effect? in
            let rest = abs(movement.points) - (movement.returned ?? 0)
            return rest > 0 ? rollbackEffect(movement, value: rest, name: "Session cancelled",
                                             transactionUUID: movement.transactionUUID) : nil
        }
    }

    /// The rollback of `value` points of what a close moved: added points rolled back, spent ones refunded.
    static func rollbackEffect(_ movement: LoyaltyMovement, value: Decimal, name: String, transactionUUID: String)
        -> Effect
    {
        let origin = EffectOrigin(campaignId: movement.campaignId, rulesetId: 0, ruleIndex: 0, ruleName: "")
        let change = LoyaltyPointsChange(
            name: name, programId: movement.programId, subledgerId: movement.subledgerId, value: value,
            recipientIntegrationId: movement.profileId, cardIdentifier: movement.cardIdentifier,
            transactionUUID: transactionUUID
        )
        return Effect(origin: origin, kind: movement.points > 0
            ? .rollbackAddedLoyaltyPoints(change) : .rollbackDeductedLoyaltyPoints(change))
    }
}
