import Foundation
import PromotionEngine

/// A close's `setLoyaltyPointsExpiryDate` or `extendLoyaltyPointsExpiryDate`: the holder's active and pending
/// lots in one (sub)ledger — those with an unspent rest, the close's own additions included — get a new expiry
/// date (`extend`: only lots that have one). The balance does not move; a lot whose new date has passed expires
/// as any other does.
public struct LoyaltyExpiryUpdate: Sendable {
    public var programId: Int64
    public var holder: LoyaltyHolder
    public var subledgerId: String
    public var change: LoyaltyExpiryChange.Change
    /// The program's time zone: extensions are counted in its calendar.
    public var timeZone: TimeZone

    public init(programId: Int64, holder: LoyaltyHolder, subledgerId: String, change: LoyaltyExpiryChange.Change,
                timeZone: TimeZone)
    {
        (self.programId, self.holder, self.subledgerId, self.change, self.timeZone) =
            (programId, holder, subledgerId, change, timeZone)
    }

    /// The lots it changes, in ledger order: the holder's additions with an unspent rest (`set`: those that never
    /// expire too). Both backends run it; its arguments are program, holder kind, holder, subledger.
    public var lotsStatement: String {
        var sql = """
            SELECT id, transaction_uuid, expiry_date FROM loyalty_ledger
            WHERE program_id = ? AND holder_kind = ? AND holder = ? AND subledger_id = ? AND amount_units > 0
                AND remaining_units > 0
            """
        if case .extend = change { sql += " AND expiry_date IS NOT NULL" }
        return sql + " ORDER BY id"
    }

    /// A lot's new expiry date (nil: it keeps none).
    public func newExpiry(of previous: Date?) -> Date? {
        switch change {
        case .set(let date): return date
        case .extend(let word):
            guard let previous else { return nil }
            return LoyaltyDuration(word)?.end(from: previous, timeZone: timeZone) ?? previous
        }
    }
}

/// A return's share of one entry its session's close wrote: `points` of an earned lot rolled back (pending
/// points first leave the lot, active ones the balance, possibly below zero as a cancel does), or of a spend
/// refunded as a new lot that never expires. The store never rolls back more of a lot than is left of it
/// (earned less expired and less earlier rollbacks) nor refunds more than was spent.
public struct LoyaltyReturnRollback: Sendable {
    /// The close's entry (its `transactionUUID`), found among the session's entries.
    public var closeTransactionUUID: String
    public var points: Decimal
    /// The rollback entry's own transaction, as its effect names it.
    public var transactionUUID: String

    public init(closeTransactionUUID: String, points: Decimal, transactionUUID: String) {
        (self.closeTransactionUUID, self.points, self.transactionUUID) = (closeTransactionUUID, points, transactionUUID)
    }
}

/// How a close's expiry changes turn its effects: each expiry effect, in order, lists the lots its update changed.
public enum LoyaltyExpiryDates {
    public static func apply(_ affected: [[LoyaltyExpiryDateChange]], to effects: [Effect]) -> [Effect] {
        guard !affected.isEmpty else { return effects }
        var remaining = affected[...]
        return effects.map { effect in
            guard case .loyaltyPointsExpiry(var change) = effect.kind, let lots = remaining.popFirst() else {
                return effect
            }
            change.affectedTransactions = lots
            var effect = effect
            effect.kind = .loyaltyPointsExpiry(change)
            return effect
        }
    }
}

extension CommittedSession {
    /// Keeps the effects as the close's expiry changes stored them (after the giveaway and achievement parts).
    public mutating func recordLoyaltyExpiry(_ affected: [[LoyaltyExpiryDateChange]], of commit: SessionCommit) {
        guard !affected.isEmpty else { return }
        effects = LoyaltyExpiryDates.apply(affected, to: effects ?? commit.effects)
    }
}

/// The SQL both backends run on a session's part of the ledger, written once.
public enum LoyaltyLedgerStatements {
    /// A session's counted additions and spends in the order every guard takes the ledger's rows (program, holder,
    /// subledger): what a cancel rolls back and a return gives back shares of. Arguments: application, session.
    public static let sessionEntries = """
        SELECT * FROM loyalty_ledger WHERE application_id = ? AND customer_session_id = ? AND NOT rolled_back
            AND kind IN ('earn', 'spend') ORDER BY program_id, holder_kind, holder, subledger_id, id
        """
}
