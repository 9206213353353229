import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: LoyaltyStore {
    public func loyaltyStandings(applicationId: Int64, profileId: String?, cardIdentifier: String?, now: Date)
        async throws -> [LoyaltyStanding]
    {
        try threadReaders.read { db in
            let programs = try Row.fetchAll(db, sql: """
                SELECT p.* FROM loyalty_program p JOIN loyalty_program_application a ON a.program_id = p.id
                WHERE a.application_id = ? ORDER BY p.id
                """, arguments: [applicationId]).map(Self.loyaltyProgram(from:))
            return try programs.map { program in
                let holder = program.settings.cardBased
                    ? cardIdentifier.map(LoyaltyHolder.card) : profileId.map(LoyaltyHolder.profile)
                guard let holder else { return LoyaltyStanding(program: program) }
                var standing = LoyaltyStanding(program: program, activePoints: try Self.activePoints(
                    db, programId: program.id, holder: holder, now: now
                ))
                if !program.tiers.isEmpty {
                    let membership = try Self.loyaltyMembership(db, programId: program.id, holder: holder)
                    (standing.tiers, standing.joined) = (membership.tiers, membership.joined)
                }
                if case .card(let identifier) = holder {
                    standing.cardBlocked = try String.fetchOne(db, sql: """
                        SELECT status FROM loyalty_card WHERE program_id = ? AND identifier = ?
                        """, arguments: [program.id, identifier]) == "inactive"
                }
                return standing
            }
        }
    }

    public func loyaltyBalances(programId: Int64, holder: LoyaltyHolder, now: Date) async throws
        -> [String: LoyaltyBalance]
    {
        try await pool.write { db in
            _ = try Self.loyaltyProgram(db, id: programId)
            _ = try Self.recordDueLoyalty(db, now: now, holder: (programId, holder))
            var balances: [String: LoyaltyBalance] = [:]
            let filter = "program_id = ? AND holder_kind = ? AND holder = ?"
            let arguments: StatementArguments = [programId, holder.kind, holder.identifier]
            for row in try Row.fetchAll(db, sql: "SELECT subledger_id, active_units FROM loyalty_balance WHERE \(filter)",
                                        arguments: arguments) {
                let active = StoredMoney.decimal(row["active_units"])
                balances[row["subledger_id"], default: .init()].activePoints = max(active, 0)
                balances[row["subledger_id"], default: .init()].negativePoints = max(-active, 0)
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT subledger_id,
                    SUM(CASE WHEN activated = 0 AND remaining_units > 0 THEN remaining_units ELSE 0 END) AS pending,
                    SUM(CASE WHEN kind IN ('spend', 'deduct', 'rollback_spend') THEN -amount_units ELSE 0 END) AS spent,
                    SUM(CASE WHEN kind = 'expire' THEN -amount_units ELSE 0 END) AS expired
                FROM loyalty_ledger WHERE \(filter) GROUP BY subledger_id
                """, arguments: arguments) {
                let subledger: String = row["subledger_id"]
                balances[subledger, default: .init()].pendingPoints = StoredMoney.decimal(row["pending"])
                balances[subledger, default: .init()].spentPoints = StoredMoney.decimal(row["spent"])
                balances[subledger, default: .init()].expiredPoints = StoredMoney.decimal(row["expired"])
            }
            return balances
        }
    }

    public func loyaltyEntries(programId: Int64, holder: LoyaltyHolder, subledgerId: String?, page: PageRequest)
        async throws -> (entries: [LoyaltyLedgerEntry], hasMore: Bool)
    {
        try await pool.write { db in
            _ = try Self.loyaltyProgram(db, id: programId)
            _ = try Self.recordDueLoyalty(db, now: Date().storagePrecision, holder: (programId, holder))
            var sql = "SELECT * FROM loyalty_ledger WHERE program_id = ? AND holder_kind = ? AND holder = ?"
            var arguments: StatementArguments = [programId, holder.kind, holder.identifier]
            if let subledgerId {
                sql += " AND subledger_id = ?"
                arguments += [subledgerId]
            }
            sql += " ORDER BY id DESC LIMIT ? OFFSET ?"
            arguments += [page.pageSize + 1, page.skip]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            return (rows.prefix(page.pageSize).map(Self.ledgerEntry(from:)), rows.count > page.pageSize)
        }
    }

    public func loyaltyPoints(programId: Int64, holder: LoyaltyHolder, status: String, subledgerIds: [String],
                              now: Date, page: PageRequest) async throws -> (entries: [LoyaltyLedgerEntry], hasMore: Bool)
    {
        try await pool.write { db in
            _ = try Self.loyaltyProgram(db, id: programId)
            _ = try Self.recordDueLoyalty(db, now: now, holder: (programId, holder))
            // Additions (lots) with what they hold in the state asked: their rest, or what of them expired.
            let held = status == "expired"
                ? "(SELECT -e.amount_units FROM loyalty_ledger e WHERE e.lot_id = l.id AND e.kind = 'expire')"
                : "l.remaining_units"
            var sql = """
                SELECT l.*, \(held) AS held FROM loyalty_ledger l
                WHERE l.program_id = ? AND l.holder_kind = ? AND l.holder = ? AND l.amount_units > 0
                """
            let state = switch status {
            case "pending": " AND l.activated = 0 AND l.remaining_units > 0"
            case "expired": " AND EXISTS (SELECT 1 FROM loyalty_ledger e WHERE e.lot_id = l.id AND e.kind = 'expire')"
            default: " AND l.activated = 1 AND l.remaining_units > 0"
            }
            sql += state
            var arguments: StatementArguments = [programId, holder.kind, holder.identifier]
            if !subledgerIds.isEmpty {
                sql += " AND l.subledger_id IN (\(databaseQuestionMarks(count: subledgerIds.count)))"
                arguments += StatementArguments(subledgerIds)
            }
            sql += " ORDER BY l.id DESC LIMIT ? OFFSET ?"
            arguments += [page.pageSize + 1, page.skip]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let entries = rows.prefix(page.pageSize).map { row in
                var entry = Self.ledgerEntry(from: row)
                entry.amount = StoredMoney.decimal(row["held"])
                return entry
            }
            return (entries, rows.count > page.pageSize)
        }
    }

    public func appendLoyaltyEntries(_ entries: [LoyaltyLedgerEntry], now: Date) async throws {
        try await pool.write { db in
            for programId in Set(entries.map(\.programId)) { _ = try Self.loyaltyProgram(db, id: programId) }
            try Self.appendLoyaltyEntries(db, entries, applicationId: nil, now: now)
        }
    }

    public func activateLoyaltyPoints(programId: Int64, applicationId: Int64, sessionId: String?,
                                      transactionUUIDs: [String], now: Date) async throws -> [LoyaltyLedgerEntry]
    {
        try await pool.write { db in
            let program = try Self.loyaltyProgram(db, id: programId)
            var sql = """
                SELECT * FROM loyalty_ledger WHERE program_id = ? AND activated = 0 AND awaits_activation = 1
                    AND remaining_units > 0
                """
            var arguments: StatementArguments = [programId]
            if let sessionId {
                sql += " AND application_id = ? AND customer_session_id = ?"
                arguments += [applicationId, sessionId]
            } else {
                sql += " AND transaction_uuid IN (\(databaseQuestionMarks(count: transactionUUIDs.count)))"
                arguments += StatementArguments(transactionUUIDs)
            }
            var activated: [LoyaltyLedgerEntry] = []
            var members = LoyaltyMembershipChanges()
            for row in try Row.fetchAll(db, sql: sql + " ORDER BY id", arguments: arguments) {
                let expiry = program.pointsExpiry(activeFrom: now)
                // A date a rule set (`setLoyaltyPointsExpiryDate`) while the lot waited stays.
                try db.execute(sql: """
                    UPDATE loyalty_ledger SET activated = 1, start_date = ?, expiry_date = COALESCE(expiry_date, ?)
                    WHERE id = ? AND activated = 0
                    """, arguments: [now, expiry, row["id"]])
                guard db.changesCount == 1 else { continue }
                var entry = Self.ledgerEntry(from: row)
                (entry.startDate, entry.expiryDate) = (now, entry.expiryDate ?? expiry)
                try Self.addToBalance(db, programId: programId, holder: entry.holder, subledgerId: entry.subledgerId,
                                      units: row["remaining_units"])
                members.note(programId, entry.holder, activated: true)
                activated.append(entry)
            }
            try Self.settleMemberships(db, members, now: now)
            return activated
        }
    }

    public func recordDueLoyaltyChanges(now: Date) async throws -> Int {
        try await pool.write { db in try Self.recordDueLoyalty(db, now: now, holder: nil) }
    }

    // MARK: - Steps used inside other transactions (the session commit)

    /// A session commit's loyalty part: a cancelled close's entries rolled back, then the close's entries, a
    /// return's shares, and the close's expiry changes (answered: the lots each changed).
    static func applyLoyalty(_ db: Database, _ change: LoyaltyCommit, applicationId: Int64, sessionId: String,
                             now: Date) throws -> [[LoyaltyExpiryDateChange]]
    {
        if let sessionId = change.rollbackSessionId {
            try rollBackLoyalty(db, applicationId: applicationId, sessionId: sessionId, now: now)
        }
        try appendLoyaltyEntries(db, change.entries, applicationId: applicationId, now: now)
        try rollBackReturned(db, change.returnRollbacks, applicationId: applicationId, sessionId: sessionId, now: now)
        try assignLoyaltyTiers(db, change.tierAssignments, now: now)
        return try change.expiryUpdates.map { try changeExpiry(db, $0, now: now) }
    }

    /// Additions become lots; spends are guarded on the balance row and taken from the lots that expire first.
    /// Entries are applied per ledger in a fixed order (program, holder, subledger), as every guard touches rows.
    static func appendLoyaltyEntries(_ db: Database, _ entries: [LoyaltyLedgerEntry], applicationId: Int64?,
                                     now: Date) throws
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
                _ = try recordDueLoyalty(db, now: now, holder: (entry.programId, entry.holder))
            }
            let units = StoredMoney.units(entry.amount)
            if units > 0 {
                let pending = entry.awaitsActivation || (entry.startDate.map { $0 > now } ?? false)
                members.note(entry.programId, entry.holder, added: true, activated: !pending, at: entry.created)
                _ = try insertEntry(db, entry, units: units, remaining: units, activated: !pending,
                                    applicationId: applicationId)
                if !pending {
                    try addToBalance(db, programId: entry.programId, holder: entry.holder,
                                     subledgerId: entry.subledgerId, units: units)
                }
            } else if units < 0 {
                try db.cachedStatement(sql: """
                    UPDATE loyalty_balance SET active_units = active_units - ?
                    WHERE program_id = ? AND holder_kind = ? AND holder = ? AND subledger_id = ? AND active_units >= ?
                    """).execute(arguments: [-units, entry.programId, entry.holder.kind, entry.holder.identifier,
                                             entry.subledgerId, -units])
                guard db.changesCount == 1 else {
                    let available = try Int64.fetchOne(db, sql: """
                        SELECT active_units FROM loyalty_balance
                        WHERE program_id = ? AND holder_kind = ? AND holder = ? AND subledger_id = ?
                        """, arguments: [entry.programId, entry.holder.kind, entry.holder.identifier, entry.subledgerId])
                    throw LoyaltyBalanceTooLow(programId: entry.programId,
                                               available: StoredMoney.decimal(max(available ?? 0, 0)))
                }
                _ = try insertEntry(db, entry, units: units, remaining: 0, activated: true, applicationId: applicationId)
                try takeFromLots(db, entry, units: -units, firstLot: nil)
                members.note(entry.programId, entry.holder)
            }
        }
        try settleMemberships(db, members, now: now)
    }

    /// Gives back what a closed session's loyalty entries did (once each): its pending additions are dropped,
    /// its active additions deducted (possibly below zero: rollbacks are not refused), its spends refunded.
    static func rollBackLoyalty(_ db: Database, applicationId: Int64, sessionId: String, now: Date) throws {
        let rows = try Row.fetchAll(db.cachedStatement(sql: LoyaltyLedgerStatements.sessionEntries),
                                    arguments: [applicationId, sessionId])
        var members = LoyaltyMembershipChanges()
        for row in rows {
            try db.execute(sql: "UPDATE loyalty_ledger SET rolled_back = 1 WHERE id = ? AND rolled_back = 0",
                           arguments: [row["id"]])
            guard db.changesCount == 1 else { continue }
            let entry = ledgerEntry(from: row)
            members.note(entry.programId, entry.holder)
            try giveBack(db, row, units: nil, transactionUUID: UUID().uuidString.lowercased(),
                         applicationId: applicationId, now: now)
        }
        try settleMemberships(db, members, now: now)
    }

    /// Activations and expiries due by `now` (of one holder, or everywhere), each lot once.
    static func recordDueLoyalty(_ db: Database, now: Date, holder: (programId: Int64, holder: LoyaltyHolder)?)
        throws -> Int
    {
        var scope = ""
        var arguments: StatementArguments = [now]
        if let holder {
            scope = " AND program_id = ? AND holder_kind = ? AND holder = ?"
            arguments += [holder.programId, holder.holder.kind, holder.holder.identifier]
        }
        var changed = 0
        var members = LoyaltyMembershipChanges()
        let due = try Row.fetchAll(db, sql: """
            SELECT * FROM loyalty_ledger WHERE activated = 0 AND awaits_activation = 0 AND start_date <= ?
                AND remaining_units > 0\(scope) ORDER BY id
            """, arguments: arguments)
        for lot in due where try activateLot(db, id: lot["id"], startDate: nil) {
            let entry = ledgerEntry(from: lot)
            try addToBalance(db, programId: entry.programId, holder: entry.holder, subledgerId: entry.subledgerId,
                             units: lot["remaining_units"])
            members.note(entry.programId, entry.holder, activated: true)
            changed += 1
        }
        let expiring = try Row.fetchAll(db, sql: """
            SELECT * FROM loyalty_ledger WHERE activated = 1 AND expiry_date <= ? AND remaining_units > 0\(scope)
            ORDER BY id
            """, arguments: arguments)
        for lot in expiring {
            let remaining: Int64 = lot["remaining_units"]
            try db.execute(sql: "UPDATE loyalty_ledger SET remaining_units = 0 WHERE id = ? AND remaining_units = ?",
                           arguments: [lot["id"], remaining])
            guard db.changesCount == 1 else { continue }
            var entry = ledgerEntry(from: lot)
            entry.kind = .expire
            entry.name = "Expired"
            entry.transactionUUID = UUID().uuidString.lowercased()
            entry.created = lot.date("expiry_date")
            entry.startDate = nil
            entry.expiryDate = nil
            entry.awaitsActivation = false
            _ = try insertEntry(db, entry, units: -remaining, remaining: 0, activated: true,
                                applicationId: lot["application_id"], lotId: lot["id"])
            try addToBalance(db, programId: entry.programId, holder: entry.holder, subledgerId: entry.subledgerId,
                             units: -remaining)
            members.note(entry.programId, entry.holder)
            changed += 1
        }
        try settleMemberships(db, members, now: now)
        if holder == nil { changed += try settleDueTiers(db, now: now) }
        return changed
    }

    /// Active points per subledger at `now` without writing: the balance rows plus what became active and
    /// minus what expired since they were last brought up to date.
    static func activePoints(_ db: Database, programId: Int64, holder: LoyaltyHolder, now: Date) throws
        -> [String: Decimal]
    {
        var units: [String: Int64] = [:]
        let arguments: StatementArguments = [programId, holder.kind, holder.identifier]
        for row in try Row.fetchAll(db, sql: """
            SELECT subledger_id, active_units FROM loyalty_balance WHERE program_id = ? AND holder_kind = ? AND holder = ?
            """, arguments: arguments) {
            units[row["subledger_id"], default: 0] += row["active_units"] as Int64
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT subledger_id, SUM(CASE WHEN activated = 0 THEN remaining_units ELSE -remaining_units END) AS due
            FROM loyalty_ledger WHERE program_id = ? AND holder_kind = ? AND holder = ? AND remaining_units > 0
                AND ((activated = 0 AND awaits_activation = 0 AND start_date <= ? AND (expiry_date IS NULL OR expiry_date > ?))
                    OR (activated = 1 AND expiry_date <= ?))
            GROUP BY subledger_id
            """, arguments: arguments + [now, now, now]) {
            units[row["subledger_id"], default: 0] += row["due"] as Int64
        }
        return units.mapValues(StoredMoney.decimal)
    }

    private static func activateLot(_ db: Database, id: Int64, startDate: Date?) throws -> Bool {
        try db.execute(sql: """
            UPDATE loyalty_ledger SET activated = 1, start_date = COALESCE(?, start_date) WHERE id = ? AND activated = 0
            """, arguments: [startDate, id])
        return db.changesCount == 1
    }

    static func addToBalance(_ db: Database, programId: Int64, holder: LoyaltyHolder, subledgerId: String,
                             units: Int64) throws
    {
        try db.cachedStatement(sql: """
            INSERT INTO loyalty_balance (program_id, holder_kind, holder, subledger_id, active_units) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (program_id, holder_kind, holder, subledger_id)
            DO UPDATE SET active_units = active_units + excluded.active_units
            """).execute(arguments: [programId, holder.kind, holder.identifier, subledgerId, units])
    }

    /// Takes `units` off the holder's active lots, `firstLot` first, then the ones expiring soonest.
    static func takeFromLots(_ db: Database, _ entry: LoyaltyLedgerEntry, units: Int64, firstLot: Int64?) throws {
        var left = units
        let lots = try Row.fetchAll(db, sql: """
            SELECT id, remaining_units FROM loyalty_ledger
            WHERE program_id = ? AND holder_kind = ? AND holder = ? AND subledger_id = ? AND activated = 1
                AND remaining_units > 0
            ORDER BY id = ? DESC, expiry_date IS NULL, expiry_date, id
            """, arguments: [entry.programId, entry.holder.kind, entry.holder.identifier, entry.subledgerId,
                             firstLot ?? -1])
        for lot in lots where left > 0 {
            let take = min(left, lot["remaining_units"] as Int64)
            try db.execute(sql: "UPDATE loyalty_ledger SET remaining_units = remaining_units - ? WHERE id = ?",
                           arguments: [take, lot["id"]])
            left -= take
        }
    }

    static func insertEntry(_ db: Database, _ entry: LoyaltyLedgerEntry, units: Int64, remaining: Int64,
                                    activated: Bool, applicationId: Int64?, lotId: Int64? = nil) throws -> Int64
    {
        try db.cachedStatement(sql: """
            INSERT INTO loyalty_ledger (program_id, holder_kind, holder, subledger_id, kind, amount_units,
                remaining_units, activated, awaits_activation, start_date, expiry_date, lot_id, name, transaction_uuid,
                application_id, customer_session_id, campaign_id, ruleset_id, rule_name, user_id, created)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                entry.programId, entry.holder.kind, entry.holder.identifier, entry.subledgerId, entry.kind.rawValue,
                units, remaining, activated, entry.awaitsActivation, entry.startDate, entry.expiryDate, lotId,
                entry.name, entry.transactionUUID, applicationId, entry.customerSessionId, entry.campaignId,
                entry.rulesetId, entry.ruleName, entry.userId, entry.created,
            ])
        return db.lastInsertedRowID
    }

    static func ledgerEntry(from row: Row) -> LoyaltyLedgerEntry {
        let holderKind: String = row["holder_kind"]
        let holder: String = row["holder"]
        var entry = LoyaltyLedgerEntry(
            id: row["id"], programId: row["program_id"],
            holder: holderKind == "card" ? .card(holder) : .profile(holder), subledgerId: row["subledger_id"],
            kind: LoyaltyEntryKind(rawValue: row["kind"]) ?? .add, amount: StoredMoney.decimal(row["amount_units"]),
            startDate: row.optionalDate("start_date"), awaitsActivation: row["awaits_activation"],
            expiryDate: row.optionalDate("expiry_date"), name: row["name"], transactionUUID: row["transaction_uuid"],
            customerSessionId: row["customer_session_id"], created: row.date("created")
        )
        entry.campaignId = row["campaign_id"]
        entry.rulesetId = row["ruleset_id"]
        entry.ruleName = row["rule_name"]
        entry.userId = row["user_id"]
        return entry
    }
}
