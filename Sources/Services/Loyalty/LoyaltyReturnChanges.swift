import Foundation
import PromotionEngine
import Storage

// What a close's expiry effects and a return write in the ledger. Pure.
extension LoyaltyChanges {
    /// A closing commit's expiry updates, one per `setLoyaltyPointsExpiryDate`/`extendLoyaltyPointsExpiryDate`
    /// effect in effect order (the store answers the lots each changed in that order); extensions are counted
    /// in the program's time zone.
    static func addExpiryUpdates(_ commit: inout SessionCommit, effects: [Effect], standings: [LoyaltyStanding]) {
        let zones = Dictionary(standings.map { ($0.program.id, $0.program.timeZone) }, uniquingKeysWith: { first, _ in first })
        let updates = effects.compactMap { effect -> LoyaltyExpiryUpdate? in
            guard case .loyaltyPointsExpiry(let change) = effect.kind else { return nil }
            return LoyaltyExpiryUpdate(
                programId: change.programId,
                holder: change.cardIdentifier.map(LoyaltyHolder.card) ?? .profile(change.recipientIntegrationId),
                subledgerId: change.subledgerId, change: change.change, timeZone: zones[change.programId] ?? .gmt
            )
        }
        guard !updates.isEmpty else { return }
        var loyalty = commit.loyalty ?? LoyaltyCommit()
        loyalty.expiryUpdates = updates
        commit.loyalty = loyalty
    }

    /// What a return gives back of the points the close moved, in proportion to the value returned: after any
    /// number of returns, a movement's rolled back total is its points × the value of every item returned so far
    /// ÷ the value of the session's cart items (unit counts when the cart is worth nothing), rounded to 0.01 point
    /// half away from zero, and all of it once every item came back. This return gives the difference to what
    /// earlier returns gave, so several partial returns never give back more than the close moved.
    /// `cart` is the session's items with this return's quantities counted in.
    static func returning(_ movements: [LoyaltyMovement], cart: [CartItem])
        -> (movements: [LoyaltyMovement], rollbacks: [LoyaltyReturnRollback], effects: [Effect])
    {
        let share = returnedShare(of: cart)
        var updated = movements
        var rollbacks: [LoyaltyReturnRollback] = []
        var effects: [Effect] = []
        for index in updated.indices {
            let movement = updated[index]
            let whole = abs(movement.points)
            let total = share.all ? whole : min(whole, LoyaltyPoints.normalized(whole * share.returned / share.of))
            let given = total - (movement.returned ?? 0)
            guard given > 0 else { continue }
            updated[index].returned = total
            let transactionUUID = UUID().uuidString.lowercased()
            rollbacks.append(LoyaltyReturnRollback(closeTransactionUUID: movement.transactionUUID, points: given,
                                                   transactionUUID: transactionUUID))
            effects.append(rollbackEffect(movement, value: given, name: "Items returned", transactionUUID: transactionUUID))
        }
        return (updated, rollbacks, effects)
    }

    /// The returned part of the cart: returned value over the cart's value, or units when the cart is worth 0.
    static func returnedShare(of cart: [CartItem]) -> (returned: Decimal, of: Decimal, all: Bool) {
        let all = cart.allSatisfy { ($0.returnedQuantity ?? 0) >= $0.quantity }
        let value = cart.reduce(Decimal(0)) { $0 + ($1.price ?? 0) * Decimal($1.quantity) }
        if value > 0 {
            let returned = cart.reduce(Decimal(0)) { $0 + ($1.price ?? 0) * Decimal($1.returnedQuantity ?? 0) }
            return (returned, value, all)
        }
        let units = cart.reduce(0) { $0 + $1.quantity }
        let returnedUnits = cart.reduce(0) { $0 + ($1.returnedQuantity ?? 0) }
        return (Decimal(returnedUnits), Decimal(max(units, 1)), all)
    }
}
