import Foundation
import GRDB
import PromotionEngine
import Storage

// Giving back a close's loyalty entries (a cancel: all that is left; a return: its shares) and a close's expiry
// changes, inside the session commit.
extension SQLiteStore {
    /// Each share of a close's entry, given back in ledger order (program, holder, subledger), as every step that
    /// writes balances goes. Returns do not mark the entry rolled back: a later cancel gives back the rest.
    static func rollBackReturned(_ db: Database, _ rollbacks: [LoyaltyReturnRollback], applicationId: Int64,
                                 sessionId: String, now: Date) throws
    {
        guard !rollbacks.isEmpty else { return }
        let shares = Dictionary(rollbacks.map { ($0.closeTransactionUUID, $0) }, uniquingKeysWith: { first, _ in first })
        var members = LoyaltyMembershipChanges()
        for row in try Row.fetchAll(db.cachedStatement(sql: LoyaltyLedgerStatements.sessionEntries),
                                    arguments: [applicationId, sessionId]) {
            guard let share = shares[row["transaction_uuid"] as String] else { continue }
            let entry = ledgerEntry(from: row)
            members.note(entry.programId, entry.holder)  // tiers follow the points given back
            try giveBack(db, row, units: StoredMoney.units(share.points), transactionUUID: share.transactionUUID,
                         applicationId: applicationId, now: now)
        }
        try settleMemberships(db, members, now: now)
    }

    /// Gives back `asked` units (nil: all that is left) of one of a close's entries, never more than is left of
    /// it: an earned lot its points less what expired and was rolled back — pending points leave the lot, active
    /// ones the balance (possibly below zero: rollbacks are not refused) and the lots, that lot first; a spend its
    /// points less earlier refunds, refunded as a new lot that never expires. The rollback entry names the close's
    /// entry (`lot_id`).
    static func giveBack(_ db: Database, _ row: Row, units asked: Int64?, transactionUUID: String,
                         applicationId: Int64, now: Date) throws
    {
        let closeId: Int64 = row["id"]
        let amount: Int64 = row["amount_units"]
        var entry = ledgerEntry(from: row)
        (entry.transactionUUID, entry.created) = (transactionUUID, now)
        (entry.startDate, entry.expiryDate, entry.awaitsActivation) = (nil, nil, false)
        if entry.kind == .spend {
            let units = min(asked ?? .max, -amount - (try refunded(db, spendId: closeId)))
            guard units > 0 else { return }
            entry.kind = .rollbackSpend
            _ = try insertEntry(db, entry, units: units, remaining: units, activated: true,
                                applicationId: applicationId, lotId: closeId)
            try addToBalance(db, programId: entry.programId, holder: entry.holder, subledgerId: entry.subledgerId,
                             units: units)
            return
        }
        entry.kind = .rollbackEarn
        var units = min(asked ?? .max, amount - (try taken(db, lotId: closeId)))
        if row["activated"] as Int64 == 0 {
            units = min(units, row["remaining_units"] as Int64)
            guard units > 0 else { return }
            try db.execute(sql: "UPDATE loyalty_ledger SET remaining_units = remaining_units - ? WHERE id = ?",
                           arguments: [units, closeId])
            _ = try insertEntry(db, entry, units: -units, remaining: 0, activated: false,
                                applicationId: applicationId, lotId: closeId)
            return
        }
        guard units > 0 else { return }
        _ = try insertEntry(db, entry, units: -units, remaining: 0, activated: true, applicationId: applicationId,
                            lotId: closeId)
        try addToBalance(db, programId: entry.programId, holder: entry.holder, subledgerId: entry.subledgerId,
                         units: -units)
        try takeFromLots(db, entry, units: units, firstLot: closeId)
    }

    /// What of an earned lot left it other than by spends: its expiry and rollbacks.
    static func taken(_ db: Database, lotId: Int64) throws -> Int64 {
        try Int64.fetchOne(db, sql: """
            SELECT COALESCE(-SUM(amount_units), 0) FROM loyalty_ledger
            WHERE lot_id = ? AND kind IN ('expire', 'rollback_earn')
            """, arguments: [lotId]) ?? 0
    }

    /// What returns (and a cancel) refunded of a spend.
    static func refunded(_ db: Database, spendId: Int64) throws -> Int64 {
        try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(amount_units), 0) FROM loyalty_ledger WHERE lot_id = ? AND kind = 'rollback_spend'
            """, arguments: [spendId]) ?? 0
    }

    /// The holder's lots with an unspent rest in one (sub)ledger get their new expiry date, after what expired by
    /// `now` is recorded (an expired lot is not revived). Returns the lots changed, in ledger order.
    static func changeExpiry(_ db: Database, _ update: LoyaltyExpiryUpdate, now: Date) throws
        -> [LoyaltyExpiryDateChange]
    {
        _ = try recordDueLoyalty(db, now: now, holder: (update.programId, update.holder))
        var changes: [LoyaltyExpiryDateChange] = []
        for row in try Row.fetchAll(db, sql: update.lotsStatement, arguments: [
            update.programId, update.holder.kind, update.holder.identifier, update.subledgerId,
        ]) {
            let previous = row.optionalDate("expiry_date")
            guard let new = update.newExpiry(of: previous)?.storagePrecision, new != previous else { continue }
            try db.execute(sql: "UPDATE loyalty_ledger SET expiry_date = ? WHERE id = ?", arguments: [new, row["id"]])
            changes.append(LoyaltyExpiryDateChange(transactionUUID: row["transaction_uuid"], previousExpiryDate: previous,
                                                   newExpiryDate: new))
        }
        return changes
    }
}
