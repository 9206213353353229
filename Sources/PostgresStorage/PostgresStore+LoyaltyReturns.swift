import Foundation
import PromotionEngine
import Storage

// Giving back a close's loyalty entries (a cancel: all that is left; a return: its shares) and a close's expiry
// changes, inside the session commit.
// As every ledger step here: the holder's balance row is locked first, then its lots.
extension PostgresStore {
    /// Each share of a close's entry, given back in ledger order (program, holder, subledger). Returns do not mark
    /// the entry rolled back: a later cancel gives back the rest.
    static func rollBackReturned(_ db: Database, _ rollbacks: [LoyaltyReturnRollback], applicationId: Int64,
                                 sessionId: String, now: Date) async throws
    {
        guard !rollbacks.isEmpty else { return }
        let shares = Dictionary(rollbacks.map { ($0.closeTransactionUUID, $0) }, uniquingKeysWith: { first, _ in first })
        var members = LoyaltyMembershipChanges()
        for row in try await db.rows(LoyaltyLedgerStatements.sessionEntries, [applicationId, sessionId]) {
            let closeTransaction: String = try row["transaction_uuid"]
            guard let share = shares[closeTransaction] else { continue }
            let entry = try ledgerEntry(from: row)
            try await lockBalance(db, entry)
            members.note(entry.programId, entry.holder)  // tiers follow the points given back
            try await giveBack(db, entryId: entry.id, units: StoredMoney.units(share.points),
                               transactionUUID: share.transactionUUID, applicationId: applicationId, now: now)
        }
        try await settleMemberships(db, members, now: now)
    }

    /// Gives back `asked` units (nil: all that is left) of one of a close's entries, as on SQLite, never more than
    /// is left of it: an earned lot its points less what expired and was rolled back — pending points leave the
    /// lot, active ones the balance (possibly below zero) and the lots, that lot first; a spend its points less
    /// earlier refunds, refunded as a new lot that never expires. The caller holds the balance row; the entry is
    /// read again under its row lock (an activation or a spend may have changed it since it was listed).
    static func giveBack(_ db: Database, entryId: Int64, units asked: Int64?, transactionUUID: String,
                         applicationId: Int64, now: Date) async throws
    {
        guard let row = try await db.rows("SELECT * FROM loyalty_ledger WHERE id = ? FOR UPDATE", [entryId]).first
        else { return }
        let amount: Int64 = try row["amount_units"]
        var entry = try ledgerEntry(from: row)
        (entry.transactionUUID, entry.created) = (transactionUUID, now)
        (entry.startDate, entry.expiryDate, entry.awaitsActivation) = (nil, nil, false)
        if entry.kind == .spend {
            let units = min(asked ?? .max, -amount - (try await refunded(db, spendId: entryId)))
            guard units > 0 else { return }
            entry.kind = .rollbackSpend
            try await insertEntry(db, entry, units: units, remaining: units, activated: true,
                                  applicationId: applicationId, lotId: entryId)
            try await addToBalance(db, programId: entry.programId, holder: entry.holder,
                                   subledgerId: entry.subledgerId, units: units)
            return
        }
        entry.kind = .rollbackEarn
        var units = min(asked ?? .max, amount - (try await taken(db, lotId: entryId)))
        if !(try row["activated"] as Bool) {
            units = min(units, try row["remaining_units"] as Int64)
            guard units > 0 else { return }
            try await db.execute("UPDATE loyalty_ledger SET remaining_units = remaining_units - ? WHERE id = ?",
                                 [units, entryId])
            try await insertEntry(db, entry, units: -units, remaining: 0, activated: false,
                                  applicationId: applicationId, lotId: entryId)
            return
        }
        guard units > 0 else { return }
        try await insertEntry(db, entry, units: -units, remaining: 0, activated: true,
                              applicationId: applicationId, lotId: entryId)
        try await addToBalance(db, programId: entry.programId, holder: entry.holder,
                               subledgerId: entry.subledgerId, units: -units)
        try await takeFromLots(db, entry, units: units, firstLot: entryId)
    }

    /// What of an earned lot left it other than by spends: its expiry and rollbacks.
    static func taken(_ db: Database, lotId: Int64) async throws -> Int64 {
        try await db.value(Int64.self, """
            SELECT COALESCE(-SUM(amount_units), 0)::BIGINT FROM loyalty_ledger
            WHERE lot_id = ? AND kind IN ('expire', 'rollback_earn')
            """, [lotId]) ?? 0
    }

    /// What returns (and a cancel) refunded of a spend.
    static func refunded(_ db: Database, spendId: Int64) async throws -> Int64 {
        try await db.value(Int64.self, """
            SELECT COALESCE(SUM(amount_units), 0)::BIGINT FROM loyalty_ledger WHERE lot_id = ? AND kind = 'rollback_spend'
            """, [spendId]) ?? 0
    }

    /// The holder's lots with an unspent rest in one (sub)ledger get their new expiry date, after what expired by
    /// `now` is recorded (an expired lot is not revived); the balance row and then the lots are locked, so an
    /// expiry running meanwhile sees either date. Returns the lots changed, in ledger order.
    static func changeExpiry(_ db: Database, _ update: LoyaltyExpiryUpdate, now: Date) async throws
        -> [LoyaltyExpiryDateChange]
    {
        _ = try await recordDueLoyalty(db, now: now, holder: (update.programId, update.holder))
        let ledger: SQLArguments = [update.programId, update.holder.kind, update.holder.identifier, update.subledgerId]
        try await db.execute("""
            SELECT 1 FROM loyalty_balance WHERE program_id = ? AND holder_kind = ? AND holder = ? AND subledger_id = ?
            FOR UPDATE
            """, ledger)
        var changes: [LoyaltyExpiryDateChange] = []
        for row in try await db.rows(update.lotsStatement + " FOR UPDATE", ledger) {
            let previous = try row.optionalDate("expiry_date")
            guard let new = update.newExpiry(of: previous)?.storagePrecision, new != previous else { continue }
            try await db.execute("UPDATE loyalty_ledger SET expiry_date = ? WHERE id = ?", [new, try row["id"] as Int64])
            changes.append(LoyaltyExpiryDateChange(transactionUUID: try row["transaction_uuid"],
                                                   previousExpiryDate: previous, newExpiryDate: new))
        }
        return changes
    }
}
