import Foundation
import PromotionEngine
import Storage

extension PostgresStore: LoyaltyReportStore {
    public func loyaltyTransactions(programId: Int64, filter: LoyaltyTransactionFilter, page: PageRequest)
        async throws -> (entries: [LoyaltyLedgerEntry], hasMore: Bool)
    {
        try await write { db in
            _ = try await Self.loyaltyProgram(db, id: programId)
            _ = try await Self.recordDueLoyalty(db, now: Date().storagePrecision,
                                                holder: filter.holder.map { (programId, $0) })
            var conditions = ["program_id = ?"]
            var arguments: SQLArguments = [programId]
            if let holder = filter.holder {
                conditions.append("holder_kind = ? AND holder = ?")
                arguments += [holder.kind, holder.identifier]
            }
            if let source = filter.source {
                conditions.append("kind = ANY(?)")
                arguments.append(source.kinds.map(\.rawValue))
            }
            if let subledger = filter.subledgerId { conditions.append("subledger_id = ?"); arguments.append(subledger) }
            if !filter.customerSessionIds.isEmpty {
                conditions.append("customer_session_id = ANY(?)")
                arguments.append(filter.customerSessionIds)
            }
            if !filter.transactionUUIDs.isEmpty {
                conditions.append("transaction_uuid = ANY(?)")
                arguments.append(filter.transactionUUIDs)
            }
            if let from = filter.createdFrom { conditions.append("created >= ?"); arguments.append(from) }
            if let before = filter.createdBefore { conditions.append("created < ?"); arguments.append(before) }
            if let awaits = filter.awaitsActivation {
                conditions.append("amount_units > 0 AND awaits_activation = ?")
                arguments.append(awaits)
            }
            var order = "id DESC"
            if let afterId = filter.afterId { conditions.append("id > ?"); arguments.append(afterId); order = "id" }
            arguments += [page.pageSize + 1, page.skip]
            let rows = try await db.rows("""
                SELECT * FROM loyalty_ledger WHERE \(conditions.joined(separator: " AND "))
                ORDER BY \(order) LIMIT ? OFFSET ?
                """, arguments)
            return (try rows.prefix(page.pageSize).map(Self.ledgerEntry(from:)), rows.count > page.pageSize)
        }
    }

    public func loyaltyProgramTotals(programId: Int64, dayStart: Date, dayEnd: Date, now: Date) async throws
        -> LoyaltyProgramTotals
    {
        try await write { db in
            _ = try await Self.loyaltyProgram(db, id: programId)
            _ = try await Self.recordDueLoyalty(db, now: now, holder: nil)
            var totals = LoyaltyProgramTotals()
            guard let balances = try await db.row("""
                SELECT COALESCE(SUM(GREATEST(active_units, 0)), 0)::BIGINT AS active,
                    COALESCE(SUM(GREATEST(-active_units, 0)), 0)::BIGINT AS negative
                FROM loyalty_balance WHERE program_id = ?
                """, [programId]),
                let ledger = try await db.row("""
                SELECT
                    COALESCE(SUM(CASE WHEN NOT activated AND remaining_units > 0 THEN remaining_units ELSE 0 END), 0)::BIGINT AS pending,
                    COALESCE(SUM(CASE WHEN kind IN ('spend', 'deduct', 'rollback_spend') THEN -amount_units ELSE 0 END), 0)::BIGINT AS spent,
                    COALESCE(SUM(CASE WHEN kind = 'expire' THEN -amount_units ELSE 0 END), 0)::BIGINT AS expired,
                    COALESCE(SUM(CASE WHEN kind IN ('add', 'import') AND created >= ? AND created < ? THEN amount_units ELSE 0 END), 0)::BIGINT AS earned_manually,
                    COALESCE(SUM(CASE WHEN kind = 'earn' AND created >= ? AND created < ? THEN amount_units ELSE 0 END), 0)::BIGINT AS earned_by_rules,
                    COALESCE(SUM(CASE WHEN kind = 'deduct' AND created >= ? AND created < ? THEN -amount_units ELSE 0 END), 0)::BIGINT AS spent_manually,
                    COALESCE(SUM(CASE WHEN kind = 'spend' AND created >= ? AND created < ? THEN -amount_units ELSE 0 END), 0)::BIGINT AS spent_by_rules
                FROM loyalty_ledger WHERE program_id = ?
                """, [dayStart, dayEnd, dayStart, dayEnd, dayStart, dayEnd, dayStart, dayEnd, programId]),
                let members = try await db.row("""
                SELECT COUNT(*)::BIGINT AS members,
                    COALESCE(SUM(CASE WHEN joined >= ? AND joined < ? THEN 1 ELSE 0 END), 0)::BIGINT AS new
                FROM (SELECT joined FROM loyalty_membership WHERE program_id = ? AND subledger_id = '' AND joined IS NOT NULL) h
                """, [dayStart, dayEnd, programId])
            else { return totals }
            totals.balance.activePoints = StoredMoney.decimal(try balances["active"])
            totals.balance.negativePoints = StoredMoney.decimal(try balances["negative"])
            try totals.readLedgerSums { try ledger[$0] }
            totals.members = Int(try members["members"] as Int64)
            totals.newMembers = Int(try members["new"] as Int64)
            return totals
        }
    }

    public func loyaltyHolderBalances(programId: Int64, holderKind: String, afterHolder: String?, limit: Int,
                                      now: Date) async throws -> (balances: [LoyaltyHolderBalance], lastHolder: String?)
    {
        try await write { db in
            _ = try await Self.loyaltyProgram(db, id: programId)
            _ = try await Self.recordDueLoyalty(db, now: now, holder: nil)
            var cards: [(identifier: String, status: String, created: Date)]?
            if holderKind == "card" {
                cards = try await db.rows("""
                    SELECT identifier, status, created FROM loyalty_card WHERE program_id = ? AND identifier > ?
                    ORDER BY identifier LIMIT ?
                    """, [programId, afterHolder ?? "", limit]).map {
                        (identifier: try $0["identifier"] as String, status: try $0["status"] as String, created: try $0.date("created"))
                    }
            }
            var holders = cards?.map(\.identifier) ?? []
            if cards == nil {
                holders = try await db.values(String.self, """
                    SELECT DISTINCT holder FROM loyalty_ledger WHERE program_id = ? AND holder_kind = ? AND holder > ?
                    ORDER BY holder LIMIT ?
                    """, [programId, holderKind, afterHolder ?? "", limit])
            }
            guard !holders.isEmpty else { return ([], nil) }
            let rows = try await db.rows("""
                SELECT l.holder, l.subledger_id, MIN(l.created) AS joined, COALESCE(MIN(b.active_units), 0)::BIGINT AS active,
                    SUM(CASE WHEN NOT l.activated AND l.remaining_units > 0 THEN l.remaining_units ELSE 0 END)::BIGINT AS pending,
                    SUM(CASE WHEN l.kind IN ('spend', 'deduct', 'rollback_spend') THEN -l.amount_units ELSE 0 END)::BIGINT AS spent,
                    SUM(CASE WHEN l.kind = 'expire' THEN -l.amount_units ELSE 0 END)::BIGINT AS expired
                FROM loyalty_ledger l LEFT JOIN loyalty_balance b ON b.program_id = l.program_id
                    AND b.holder_kind = l.holder_kind AND b.holder = l.holder AND b.subledger_id = l.subledger_id
                WHERE l.program_id = ? AND l.holder_kind = ? AND l.holder = ANY(?)
                GROUP BY l.holder, l.subledger_id ORDER BY l.holder, l.subledger_id
                """, [programId, holderKind, holders])
            let balances = try rows.map { row in
                var balance = LoyaltyBalance()
                let active = StoredMoney.decimal(try row["active"])
                (balance.activePoints, balance.negativePoints) = (max(active, 0), max(-active, 0))
                balance.pendingPoints = StoredMoney.decimal(try row["pending"])
                balance.spentPoints = StoredMoney.decimal(try row["spent"])
                balance.expiredPoints = StoredMoney.decimal(try row["expired"])
                return LoyaltyHolderBalance(holder: try row["holder"], subledgerId: try row["subledger_id"],
                                            balance: balance, joined: try row.date("joined"))
            }
            return (cards.map { LoyaltyHolderBalance.cards(balances, $0) } ?? balances,
                    holders.count == limit ? holders.last : nil)
        }
    }

    public func deleteLoyaltyTransactions(programId: Int64, holder: LoyaltyHolder, subledgerIds: [String]?)
        async throws -> Int
    {
        try await write { db in
            _ = try await Self.loyaltyProgram(db, id: programId)
            var scope = "program_id = ? AND holder_kind = ? AND holder = ?"
            var arguments: SQLArguments = [programId, holder.kind, holder.identifier]
            if let subledgerIds {
                scope += " AND subledger_id = ANY(?)"
                arguments.append(subledgerIds)
            }
            _ = try await db.rows("DELETE FROM loyalty_balance WHERE \(scope) RETURNING subledger_id", arguments)
            let deleted = try await db.changes("DELETE FROM loyalty_ledger WHERE \(scope) RETURNING id", arguments)
            var members = LoyaltyMembershipChanges()
            members.note(programId, holder)
            try await Self.settleMemberships(db, members, now: Date().storagePrecision)
            return deleted
        }
    }
}
