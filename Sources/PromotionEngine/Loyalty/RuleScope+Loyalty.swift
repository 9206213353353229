import Foundation

// Loyalty in rules: earning adds points to the session profile's ledger when the session closes (tentative
// until then), redeeming spends active points for a discount, bounded by what the profile holds.
extension RuleScope {
    /// The program and whose points move: the session's profile, or in a card-based program the session's
    /// loyalty card (and its profile, if any); else why the loyalty effect cannot apply.
    func loyaltyTarget(_ programId: Int64, function: String) throws
        -> (standing: LoyaltyStanding, profileId: String, card: String?)
    {
        guard let standing = loyalty[programId] else {
            throw EffectError("\(function): loyalty program \(programId) is not one this application is subscribed to")
        }
        if standing.program.settings.cardBased {
            guard let card = session.loyaltyCards.first, !card.isEmpty else {
                throw EffectError("\(function): program \(programId) is card-based; the session names no loyalty card")
            }
            guard !standing.cardBlocked else { throw EffectError("\(function): loyalty card \(card) is blocked") }
            return (standing, session.profileId ?? "", card)
        }
        guard let profileId = session.profileId, !profileId.isEmpty else {
            throw EffectError("\(function): loyalty points need a customer profile; the session is anonymous")
        }
        return (standing, profileId, nil)
    }

    /// Active points of the session's profile in a program's subledger, less what this evaluation deducted.
    public func loyaltyPoints(programId: Int64, subledgerId: String = "") -> Decimal {
        guard let standing = loyalty[programId] else { return 0 }
        return (standing.activePoints[subledgerId] ?? 0) - (loyaltyDeducted[programId]?[subledgerId] ?? 0)
    }

    /// The name of the holder's tier in a program (its stored tier brought to now), "" when it is in none.
    public func loyaltyTier(programId: Int64) -> String { loyaltyTierStanding(programId: programId)?.name ?? "" }

    /// `addLoyaltyPoints`: points for the session's profile, pending and expiring as the program says.
    public func addLoyaltyPoints(programId: Int64, points: Decimal, subledgerId: String = "") throws {
        let (standing, profileId, card) = try loyaltyTarget(programId, function: "addLoyaltyPoints")
        let points = LoyaltyPoints.normalized(points)
        guard points > 0 else { return }  // Nothing earned is no effect, not a failure.
        // Past the campaign's budget no points are given; the rule's other effects still apply.
        guard takeFromBudget(.createLoyaltyPoints, points) else { return }
        let program = standing.program
        let (start, onAction) = program.pointsStart(earnedAt: now)
        var change = LoyaltyPointsChange(
            name: origin.ruleName.isEmpty ? "Loyalty points" : origin.ruleName, programId: programId,
            subledgerId: subledgerId, value: points, recipientIntegrationId: profileId, cardIdentifier: card,
            startDate: start, expiryDate: onAction ? nil : program.pointsExpiry(activeFrom: start ?? now)
        )
        change.awaitsActivation = onAction
        pendingEffects.append(Effect(origin: origin, kind: .addLoyaltyPoints(change)))
        if start == nil, !onAction { announceTierUpgrade(change) }
    }

    /// `deductLoyaltyPoints`: spends active points; the rule does not apply when the profile has too few.
    public func deductLoyaltyPoints(programId: Int64, points: Decimal, subledgerId: String = "",
                                    name: String = "Loyalty points") throws {
        let (_, profileId, card) = try loyaltyTarget(programId, function: "deductLoyaltyPoints")
        let points = LoyaltyPoints.normalized(points)
        guard points > 0 else { return }
        let available = loyaltyPoints(programId: programId, subledgerId: subledgerId)
        guard available >= points else {
            throw EffectError("deductLoyaltyPoints: the profile has \(available) active points, \(points) asked")
        }
        guard takeFromBudget(.redeemLoyaltyPoints, points) else {
            throw EffectError("deductLoyaltyPoints: the campaign's redeemLoyaltyPoints budget has less than \(points) points left")
        }
        loyaltyDeducted[programId, default: [:]][subledgerId, default: 0] += points
        pendingEffects.append(Effect(origin: origin, kind: .deductLoyaltyPoints(LoyaltyPointsChange(
            name: name, programId: programId, subledgerId: subledgerId, value: points, recipientIntegrationId: profileId,
            cardIdentifier: card
        ))))
    }

    /// `redeemLoyaltyPoints`: `points` active points buy a `value` discount on the session. A discount capped
    /// by the cart (or a budget) spends the points in proportion, rounded up to the cent of a point.
    public func redeemLoyaltyPoints(programId: Int64, points: Decimal, value: Decimal) throws {
        guard points > 0, value > 0 else {
            throw EffectError("redeemLoyaltyPoints: points and value must be positive")
        }
        _ = try loyaltyTarget(programId, function: "redeemLoyaltyPoints")
        guard loyaltyPoints(programId: programId) >= LoyaltyPoints.normalized(points) else {
            throw EffectError("redeemLoyaltyPoints: the profile has fewer than \(points) active points")
        }
        let name = "Loyalty points"
        setDiscount(name: name, value: value)
        guard case .setDiscount(let discount)? = pendingEffects.last?.kind, discount.value > 0 else {
            throw EffectError("redeemLoyaltyPoints: nothing left to discount")
        }
        var spent = points
        if discount.value < value {
            var share = points * discount.value / value
            NSDecimalRound(&spent, &share, 2, .up)
        }
        try deductLoyaltyPoints(programId: programId, points: spent, name: name)
    }
}

extension RuleScope {
    /// Takes `amount` from what the campaign's `action` budget still allows: false, taking nothing, when it
    /// does not fit whole (no budget: always true).
    func takeFromBudget(_ action: LimitAction, _ amount: Decimal) -> Bool {
        guard let left = actionsLeft[action] else { return true }
        guard amount <= left else { return false }
        actionsLeft[action] = left - amount
        return true
    }
}
