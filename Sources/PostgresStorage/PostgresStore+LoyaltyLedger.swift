import Foundation
import PromotionEngine
import Storage

extension PostgresStore: LoyaltyStore {
    public func loyaltyStandings(applicationId: Int64, profileId: String?, cardIdentifier: String?, now: Date)
        async throws -> [LoyaltyStanding]
    {
        try await read { db in
            let programs = try await db.rows("""
                SELECT p.* FROM loyalty_program p JOIN loyalty_program_application a ON a.program_id = p.id
                WHERE a.application_id = ? ORDER BY p.id
                """, [applicationId]).map(Self.loyaltyProgram(from:))
            var standings: [LoyaltyStanding] = []
            for program in programs {
                let holder = program.settings.cardBased
                    ? cardIdentifier.map(LoyaltyHolder.card) : profileId.map(LoyaltyHolder.profile)
                guard let holder else {
                    standings.append(LoyaltyStanding(program: program))
                    continue
                }
                var standing = LoyaltyStanding(program: program, activePoints: try await Self.activePoints(
                    db, programId: program.id, holder: holder, now: now
                ))
                if !program.tiers.isEmpty {
                    let membership = try await Self.loyaltyMembership(db, programId: program.id, holder: holder)
                    (standing.tiers, standing.joined) = (membership.tiers, membership.joined)
                }
                if case .card(let identifier) = holder {
                    standing.cardBlocked = try await db.value(String.self, """
                        SELECT status FROM loyalty_card WHERE program_id = ? AND identifier = ?
                        """, [program.id, identifier]) == "inactive"
                }
                standings.append(standing)
            }
            return standings
        }
    }

    public func loyaltyBalances(programId: Int64, holder: LoyaltyHolder, now: Date) async throws
        -> [String: LoyaltyBalance]
    {
        try await write { db in
            _ = try await Self.loyaltyProgram(db, id: programId)
            _ = try await Self.recordDueLoyalty(db, now: now, holder: (programId, holder))
            var balances: [String: LoyaltyBalance] = [:]
            let filter = "program_id = ? AND holder_kind = ? AND holder = ?"
            let arguments: SQLArguments = [programId, holder.kind, holder.identifier]
            for row in try await db.rows("SELECT subledger_id, active_units FROM loyalty_balance WHERE \(filter)",
                                         arguments) {
                let active = StoredMoney.decimal(try row["active_units"])
                let subledger: String = try row["subledger_id"]
                balances[subledger, default: .init()].activePoints = max(active, 0)
                balances[subledger, default: .init()].negativePoints = max(-active, 0)
            }
            for row in try await db.rows("""
                SELECT subledger_id,
                    SUM(CASE WHEN NOT activated AND remaining_units > 0 THEN remaining_units ELSE 0 END)::BIGINT
                        AS pending,
                    SUM(CASE WHEN kind IN ('spend', 'deduct', 'rollback_spend') THEN -amount_units ELSE 0 END)::BIGINT
                        AS spent,
                    SUM(CASE WHEN kind = 'expire' THEN -amount_units ELSE 0 END)::BIGINT AS expired
                FROM loyalty_ledger WHERE \(filter) GROUP BY subledger_id
                """, arguments) {
                let subledger: String = try row["subledger_id"]
                balances[subledger, default: .init()].pendingPoints = StoredMoney.decimal(try row["pending"])
                balances[subledger, default: .init()].spentPoints = StoredMoney.decimal(try row["spent"])
                balances[subledger, default: .init()].expiredPoints = StoredMoney.decimal(try row["expired"])
            }
            return balances
        }
    }

    public func loyaltyEntries(programId: Int64, holder: LoyaltyHolder, subledgerId: String?, page: PageRequest)
        async throws -> (entries: [LoyaltyLedgerEntry], hasMore: Bool)
    {
        try await write { db in
            _ = try await Self.loyaltyProgram(db, id: programId)
            _ = try await Self.recordDueLoyalty(db, now: Date().storagePrecision, holder: (programId, holder))
            var sql = "SELECT * FROM loyalty_ledger WHERE program_id = ? AND holder_kind = ? AND holder = ?"
            var arguments: SQLArguments = [programId, holder.kind, holder.identifier]
            if let subledgerId {
                sql += " AND subledger_id = ?"
                arguments.append(subledgerId)
            }
            sql += " ORDER BY id DESC LIMIT ? OFFSET ?"
            arguments += [page.pageSize + 1, page.skip]
            let rows = try await db.rows(sql, arguments)
            return (try rows.prefix(page.pageSize).map(Self.ledgerEntry(from:)), rows.count > page.pageSize)
        }
    }

    public func loyaltyPoints(programId: Int64, holder: LoyaltyHolder, status: String, subledgerIds: [String],
                              now: Date, page: PageRequest) async throws -> (entries: [LoyaltyLedgerEntry], hasMore: Bool)
    {
        try await write { db in
            _ = try await Self.loyaltyProgram(db, id: programId)
            _ = try await Self.recordDueLoyalty(db, now: now, holder: (programId, holder))
            // Additions (lots) with what they hold in the state asked: their rest, or what of them expired.
            let held = status == "expired"
                ? "(SELECT -e.amount_units FROM loyalty_ledger e WHERE e.lot_id = l.id AND e.kind = 'expire')"
                : "l.remaining_units"
            var sql = """
                SELECT l.*, \(held) AS held FROM loyalty_ledger l
                WHERE l.program_id = ? AND l.holder_kind = ? AND l.holder = ? AND l.amount_units > 0
                """
            let state = switch status {
            case "pending": " AND NOT l.activated AND l.remaining_units > 0"
            case "expired": " AND EXISTS (SELECT 1 FROM loyalty_ledger e WHERE e.lot_id = l.id AND e.kind = 'expire')"
            default: " AND l.activated AND l.remaining_units > 0"
            }
            sql += state
            var arguments: SQLArguments = [programId, holder.kind, holder.identifier]
            if !subledgerIds.isEmpty {
                sql += " AND l.subledger_id = ANY(?)"
                arguments.append(subledgerIds)
            }
            sql += " ORDER BY l.id DESC LIMIT ? OFFSET ?"
            arguments += [page.pageSize + 1, page.skip]
            let rows = try await db.rows(sql, arguments)
            let entries = try rows.prefix(page.pageSize).map { row in
                var entry = try Self.ledgerEntry(from: row)
                entry.amount = StoredMoney.decimal(try row["held"])
                return entry
            }
            return (entries, rows.count > page.pageSize)
        }
    }

    public func appendLoyaltyEntries(_ entries: [LoyaltyLedgerEntry], now: Date) async throws {
        try await write { db in
            for programId in Set(entries.map(\.programId)).sorted() { _ = try await Self.loyaltyProgram(db, id: programId) }
            try await Self.appendLoyaltyEntries(db, entries, applicationId: nil, now: now)
        }
    }

    public func activateLoyaltyPoints(programId: Int64, applicationId: Int64, sessionId: String?,
                                      transactionUUIDs: [String], now: Date) async throws -> [LoyaltyLedgerEntry]
    {
        try await write { db in
            let program = try await Self.loyaltyProgram(db, id: programId)
            var sql = """
                SELECT * FROM loyalty_ledger WHERE program_id = ? AND NOT activated AND awaits_activation
                    AND remaining_units > 0
                """
            var arguments: SQLArguments = [programId]
            if let sessionId {
                sql += " AND application_id = ? AND customer_session_id = ?"
                arguments += [applicationId, sessionId]
            } else {
                sql += " AND transaction_uuid = ANY(?)"
                arguments.append(transactionUUIDs)
            }
            var activated: [LoyaltyLedgerEntry] = []
            var members = LoyaltyMembershipChanges()
            for row in try await db.rows(sql + " ORDER BY id", arguments) {
                let expiry = program.pointsExpiry(activeFrom: now)
                // Guarded: a lot activated by a concurrent call is not counted twice. A date a rule set
                // (`setLoyaltyPointsExpiryDate`) while it waited stays.
                let units = try await db.value(Int64.self, """
                    UPDATE loyalty_ledger SET activated = TRUE, start_date = ?, expiry_date = COALESCE(expiry_date, ?)
                    WHERE id = ? AND NOT activated RETURNING remaining_units
                    """, [now, expiry, try row["id"] as Int64])
                guard let units else { continue }
                var entry = try Self.ledgerEntry(from: row)
                (entry.startDate, entry.expiryDate) = (now, entry.expiryDate ?? expiry)
                try await Self.addToBalance(db, programId: programId, holder: entry.holder,
                                            subledgerId: entry.subledgerId, units: units)
                members.note(programId, entry.holder, activated: true)
                activated.append(entry)
            }
            try await Self.settleMemberships(db, members, now: now)
            return activated
        }
    }

    public func recordDueLoyaltyChanges(now: Date) async throws -> Int {
        try await write { db in try await Self.recordDueLoyalty(db, now: now, holder: nil) }
    }
}
