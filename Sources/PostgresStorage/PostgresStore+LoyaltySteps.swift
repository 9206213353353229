import Foundation
import PromotionEngine
import Storage

/// The ledger's steps inside a store method's transaction (and the session commit's). Rows are locked balance
/// row first, then its lots, wherever both are written, so concurrent spends, expiries and activations of one
/// holder queue on the balance row instead of deadlocking.
extension PostgresStore {
    /// A session commit's loyalty part: a cancelled close's entries rolled back, then the close's entries, a
    /// return's shares, and the close's expiry changes (answered: the lots each changed).
    static func applyLoyalty(_ db: Database, _ change: LoyaltyCommit, applicationId: Int64, sessionId: String,
                             now: Date) async throws -> [[LoyaltyExpiryDateChange]]
    {
        if let sessionId = change.rollbackSessionId {
            try await rollBackLoyalty(db, applicationId: applicationId, sessionId: sessionId, now: now)
        }
        try await appendLoyaltyEntries(db, change.entries, applicationId: applicationId, now: now)
        try await rollBackReturned(db, change.returnRollbacks, applicationId: applicationId, sessionId: sessionId,
                                   now: now)
        try await assignLoyaltyTiers(db, change.tierAssignments, now: now)
        var changes: [[LoyaltyExpiryDateChange]] = []
        for update in change.expiryUpdates { changes.append(try await changeExpiry(db, update, now: now)) }
        return changes
    }

    /// Additions become lots; spends are one guarded update of the balance row (`active_units >= n`, judged by
    /// `RETURNING`) and are taken from the lots that expire first. Entries are applied per ledger in a fixed order
    /// (program, holder, subledger), as every guard touches rows.
    static func appendLoyaltyEntries(_ db: Database, _ entries: [LoyaltyLedgerEntry], applicationId: Int64?,
                                     now: Date) async throws
    {
        let ordered = entries.enumerated().sorted { left, right in
            let (l, r) = (left.element, right.element)
            return (l.programId, l.holder.kind, l.holder.identifier, l.subledgerId, left.offset)
                < (r.programId, r.holder.kind, r.holder.identifier, r.subledgerId, right.offset)
        }.map(\.element)
        var settled = Set<String>()
        var members = LoyaltyMembershipChanges()
        for entry in ordered {
            // What became active or expired by now is recorded first, so the guard sees the balance a read shows.
            if settled.insert("\(entry.programId)/\(entry.holder.kind)/\(entry.holder.identifier)").inserted {
                _ = try await recordDueLoyalty(db, now: now, holder: (entry.programId, entry.holder))
            }
            let units = StoredMoney.units(entry.amount)
            if units > 0 {
                let pending = entry.awaitsActivation || (entry.startDate.map { $0 > now } ?? false)
                members.note(entry.programId, entry.holder, added: true, activated: !pending, at: entry.created)
                try await insertEntry(db, entry, units: units, remaining: units, activated: !pending,
                                      applicationId: applicationId)
                if !pending {
                    try await addToBalance(db, programId: entry.programId, holder: entry.holder,
                                           subledgerId: entry.subledgerId, units: units)
                }
            } else if units < 0 {
                let spent = try await db.changes("""
                    UPDATE loyalty_balance SET active_units = active_units - ?
                    WHERE program_id = ? AND holder_kind = ? AND holder = ? AND subledger_id = ? AND active_units >= ?
                    RETURNING active_units
                    """, [-units, entry.programId, entry.holder.kind, entry.holder.identifier, entry.subledgerId,
                          -units])
                guard spent == 1 else {
                    let available = try await db.value(Int64.self, """
                        SELECT active_units FROM loyalty_balance
                        WHERE program_id = ? AND holder_kind = ? AND holder = ? AND subledger_id = ?
                        """, [entry.programId, entry.holder.kind, entry.holder.identifier, entry.subledgerId])
                    throw LoyaltyBalanceTooLow(programId: entry.programId,
                                               available: StoredMoney.decimal(max(available ?? 0, 0)))
                }
                try await insertEntry(db, entry, units: units, remaining: 0, activated: true,
                                      applicationId: applicationId)
                try await takeFromLots(db, entry, units: -units, firstLot: nil)
                members.note(entry.programId, entry.holder)
            }
        }
        try await settleMemberships(db, members, now: now)
    }

    /// Gives back what a closed session's loyalty entries did (once each): its pending additions are dropped,
    /// its active additions deducted (possibly below zero: rollbacks are not refused), its spends refunded.
    static func rollBackLoyalty(_ db: Database, applicationId: Int64, sessionId: String, now: Date) async throws {
        let rows = try await db.rows(LoyaltyLedgerStatements.sessionEntries, [applicationId, sessionId])
        var members = LoyaltyMembershipChanges()
        for row in rows {
            let entry = try ledgerEntry(from: row)
            try await lockBalance(db, entry)
            let marked = try await db.changes(
                "UPDATE loyalty_ledger SET rolled_back = TRUE WHERE id = ? AND NOT rolled_back RETURNING id", [entry.id]
            )
            guard marked == 1 else { continue }
            members.note(entry.programId, entry.holder)
            try await giveBack(db, entryId: entry.id, units: nil, transactionUUID: UUID().uuidString.lowercased(),
                               applicationId: applicationId, now: now)
        }
        try await settleMemberships(db, members, now: now)
    }

    /// Activations and expiries due by `now` (of one holder, or everywhere), each lot once: every change is
    /// guarded on the lot's state, so nodes and restarts repeat nothing.
    static func recordDueLoyalty(_ db: Database, now: Date, holder: (programId: Int64, holder: LoyaltyHolder)?)
        async throws -> Int
    {
        var scope = ""
        var arguments: SQLArguments = [now]
        if let holder {
            scope = " AND program_id = ? AND holder_kind = ? AND holder = ?"
            arguments += [holder.programId, holder.holder.kind, holder.holder.identifier]
        }
        var changed = 0
        var members = LoyaltyMembershipChanges()
        let due = try await db.rows("""
            SELECT * FROM loyalty_ledger WHERE NOT activated AND NOT awaits_activation AND start_date <= ?
                AND remaining_units > 0\(scope) ORDER BY id
            """, arguments)
        for lot in due {
            let entry = try ledgerEntry(from: lot)
            try await lockBalance(db, entry)
            let units = try await db.value(Int64.self, """
                UPDATE loyalty_ledger SET activated = TRUE WHERE id = ? AND NOT activated RETURNING remaining_units
                """, [entry.id])
            guard let units else { continue }
            try await addToBalance(db, programId: entry.programId, holder: entry.holder,
                                   subledgerId: entry.subledgerId, units: units)
            members.note(entry.programId, entry.holder, activated: true)
            changed += 1
        }
        let expiring = try await db.rows("""
            SELECT * FROM loyalty_ledger WHERE activated AND expiry_date <= ? AND remaining_units > 0\(scope)
            ORDER BY id
            """, arguments)
        for lot in expiring {
            var entry = try ledgerEntry(from: lot)
            try await lockBalance(db, entry)
            // The rest as it is now (a spend may have taken from it since the lots were listed), set to 0 once.
            guard let remaining = try await takeRest(db, lotId: entry.id) else { continue }
            entry.kind = .expire
            entry.name = "Expired"
            entry.transactionUUID = UUID().uuidString.lowercased()
            entry.created = try lot.date("expiry_date")
            entry.startDate = nil
            entry.expiryDate = nil
            entry.awaitsActivation = false
            try await insertEntry(db, entry, units: -remaining, remaining: 0, activated: true,
                                  applicationId: try lot["application_id"], lotId: lot["id"])
            try await addToBalance(db, programId: entry.programId, holder: entry.holder,
                                   subledgerId: entry.subledgerId, units: -remaining)
            members.note(entry.programId, entry.holder)
            changed += 1
        }
        try await settleMemberships(db, members, now: now)
        if holder == nil { changed += try await settleDueTiers(db, now: now) }
        return changed
    }

    /// Active points per subledger at `now` without writing: the balance rows plus what became active and
    /// minus what expired since they were last brought up to date.
    static func activePoints(_ db: Database, programId: Int64, holder: LoyaltyHolder, now: Date) async throws
        -> [String: Decimal]
    {
        var units: [String: Int64] = [:]
        let arguments: SQLArguments = [programId, holder.kind, holder.identifier]
        for row in try await db.rows("""
            SELECT subledger_id, active_units FROM loyalty_balance WHERE program_id = ? AND holder_kind = ? AND holder = ?
            """, arguments) {
            units[try row["subledger_id"], default: 0] += try row["active_units"] as Int64
        }
        for row in try await db.rows("""
            SELECT subledger_id, SUM(CASE WHEN NOT activated THEN remaining_units ELSE -remaining_units END)::BIGINT AS due
            FROM loyalty_ledger WHERE program_id = ? AND holder_kind = ? AND holder = ? AND remaining_units > 0
                AND ((NOT activated AND NOT awaits_activation AND start_date <= ? AND (expiry_date IS NULL OR expiry_date > ?))
                    OR (activated AND expiry_date <= ?))
            GROUP BY subledger_id
            """, arguments + [now, now, now]) {
            units[try row["subledger_id"], default: 0] += try row["due"] as Int64
        }
        return units.mapValues(StoredMoney.decimal)
    }

    static func addToBalance(_ db: Database, programId: Int64, holder: LoyaltyHolder, subledgerId: String,
                             units: Int64) async throws
    {
        try await db.execute("""
            INSERT INTO loyalty_balance (program_id, holder_kind, holder, subledger_id, active_units) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (program_id, holder_kind, holder, subledger_id)
            DO UPDATE SET active_units = loyalty_balance.active_units + excluded.active_units
            """, [programId, holder.kind, holder.identifier, subledgerId, units])
    }

    /// Sets a lot's rest to 0 and answers what it was (nil: nothing was left), reading it under the row's lock so a
    /// spend that took from it meanwhile is seen.
    private static func takeRest(_ db: Database, lotId: Int64) async throws -> Int64? {
        guard let rest = try await db.value(Int64.self, """
            SELECT remaining_units FROM loyalty_ledger WHERE id = ? AND remaining_units > 0 FOR UPDATE
            """, [lotId]) else { return nil }
        try await db.execute("UPDATE loyalty_ledger SET remaining_units = 0 WHERE id = ?", [lotId])
        return rest
    }

    /// Holds the entry's balance row (when it exists) until the transaction ends, before its lots are written.
    static func lockBalance(_ db: Database, _ entry: LoyaltyLedgerEntry) async throws {
        try await db.execute("""
            SELECT 1 FROM loyalty_balance WHERE program_id = ? AND holder_kind = ? AND holder = ? AND subledger_id = ?
            FOR UPDATE
            """, [entry.programId, entry.holder.kind, entry.holder.identifier, entry.subledgerId])
    }

    /// Takes `units` off the holder's active lots, `firstLot` first, then the ones expiring soonest.
    static func takeFromLots(_ db: Database, _ entry: LoyaltyLedgerEntry, units: Int64, firstLot: Int64?)
        async throws
    {
        var left = units
        let lots = try await db.rows("""
            SELECT id, remaining_units FROM loyalty_ledger
            WHERE program_id = ? AND holder_kind = ? AND holder = ? AND subledger_id = ? AND activated
                AND remaining_units > 0
            ORDER BY (id = ?) DESC, expiry_date IS NULL, expiry_date, id
            """, [entry.programId, entry.holder.kind, entry.holder.identifier, entry.subledgerId, firstLot ?? -1])
        for lot in lots where left > 0 {
            let take = min(left, try lot["remaining_units"] as Int64)
            try await db.execute("UPDATE loyalty_ledger SET remaining_units = remaining_units - ? WHERE id = ?",
                                 [take, try lot["id"] as Int64])
            left -= take
        }
    }

    static func insertEntry(_ db: Database, _ entry: LoyaltyLedgerEntry, units: Int64, remaining: Int64,
                                    activated: Bool, applicationId: Int64?, lotId: Int64? = nil) async throws
    {
        try await db.execute("""
            INSERT INTO loyalty_ledger (program_id, holder_kind, holder, subledger_id, kind, amount_units,
                remaining_units, activated, awaits_activation, start_date, expiry_date, lot_id, name, transaction_uuid,
                application_id, customer_session_id, campaign_id, ruleset_id, rule_name, user_id, created)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                entry.programId, entry.holder.kind, entry.holder.identifier, entry.subledgerId, entry.kind.rawValue,
                units, remaining, activated, entry.awaitsActivation, entry.startDate, entry.expiryDate, lotId,
                entry.name, entry.transactionUUID, applicationId, entry.customerSessionId, entry.campaignId,
                entry.rulesetId, entry.ruleName, entry.userId, entry.created,
            ])
    }

    static func ledgerEntry(from row: Row) throws -> LoyaltyLedgerEntry {
        let holderKind: String = try row["holder_kind"]
        let holder: String = try row["holder"]
        var entry = LoyaltyLedgerEntry(
            id: try row["id"], programId: try row["program_id"],
            holder: holderKind == "card" ? .card(holder) : .profile(holder), subledgerId: try row["subledger_id"],
            kind: LoyaltyEntryKind(rawValue: try row["kind"]) ?? .add,
            amount: StoredMoney.decimal(try row["amount_units"]), startDate: try row.optionalDate("start_date"),
            awaitsActivation: try row["awaits_activation"], expiryDate: try row.optionalDate("expiry_date"),
            name: try row["name"], transactionUUID: try row["transaction_uuid"],
            customerSessionId: try row["customer_session_id"], created: try row.date("created")
        )
        entry.campaignId = try row["campaign_id"]
        entry.rulesetId = try row["ruleset_id"]
        entry.ruleName = try row["rule_name"]
        entry.userId = try row["user_id"]
        return entry
    }
}
