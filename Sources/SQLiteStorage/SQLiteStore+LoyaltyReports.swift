import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: LoyaltyReportStore {
    public func loyaltyTransactions(programId: Int64, filter: LoyaltyTransactionFilter, page: PageRequest)
        async throws -> (entries: [LoyaltyLedgerEntry], hasMore: Bool)
    {
        try await pool.write { db in
            _ = try Self.loyaltyProgram(db, id: programId)
            _ = try Self.recordDueLoyalty(db, now: Date().storagePrecision, holder: filter.holder.map { (programId, $0) })
            var conditions = ["program_id = ?"]
            var arguments: StatementArguments = [programId]
            if let holder = filter.holder {
                conditions.append("holder_kind = ? AND holder = ?")
                arguments += [holder.kind, holder.identifier]
            }
            if let source = filter.source {
                conditions.append("kind IN (\(databaseQuestionMarks(count: source.kinds.count)))")
                arguments += StatementArguments(source.kinds.map(\.rawValue))
            }
            if let subledger = filter.subledgerId { conditions.append("subledger_id = ?"); arguments += [subledger] }
            if !filter.customerSessionIds.isEmpty {
                conditions.append("customer_session_id IN (\(databaseQuestionMarks(count: filter.customerSessionIds.count)))")
                arguments += StatementArguments(filter.customerSessionIds)
            }
            if !filter.transactionUUIDs.isEmpty {
                conditions.append("transaction_uuid IN (\(databaseQuestionMarks(count: filter.transactionUUIDs.count)))")
                arguments += StatementArguments(filter.transactionUUIDs)
            }
            if let from = filter.createdFrom { conditions.append("created >= ?"); arguments += [from] }
            if let before = filter.createdBefore { conditions.append("created < ?"); arguments += [before] }
            if let awaits = filter.awaitsActivation {
                conditions.append("amount_units > 0 AND awaits_activation = ?")
                arguments += [awaits]
            }
            var order = "id DESC"
            if let afterId = filter.afterId { conditions.append("id > ?"); arguments += [afterId]; order = "id" }
            arguments += [page.pageSize + 1, page.skip]
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM loyalty_ledger WHERE \(conditions.joined(separator: " AND "))
                ORDER BY \(order) LIMIT ? OFFSET ?
                """, arguments: arguments)
            return (rows.prefix(page.pageSize).map(Self.ledgerEntry(from:)), rows.count > page.pageSize)
        }
    }

    public func loyaltyProgramTotals(programId: Int64, dayStart: Date, dayEnd: Date, now: Date) async throws
        -> LoyaltyProgramTotals
    {
        try await pool.write { db in
            _ = try Self.loyaltyProgram(db, id: programId)
            _ = try Self.recordDueLoyalty(db, now: now, holder: nil)
            var totals = LoyaltyProgramTotals()
            let balances = try Row.fetchOne(db, sql: """
                SELECT COALESCE(SUM(MAX(active_units, 0)), 0) AS active, COALESCE(SUM(MAX(-active_units, 0)), 0) AS negative
                FROM loyalty_balance WHERE program_id = ?
                """, arguments: [programId])!
            totals.balance.activePoints = StoredMoney.decimal(balances["active"])
            totals.balance.negativePoints = StoredMoney.decimal(balances["negative"])
            let ledger = try Row.fetchOne(db, sql: """
                SELECT
                    COALESCE(SUM(CASE WHEN activated = 0 AND remaining_units > 0 THEN remaining_units ELSE 0 END), 0) AS pending,
                    COALESCE(SUM(CASE WHEN kind IN ('spend', 'deduct', 'rollback_spend') THEN -amount_units ELSE 0 END), 0) AS spent,
                    COALESCE(SUM(CASE WHEN kind = 'expire' THEN -amount_units ELSE 0 END), 0) AS expired,
                    COALESCE(SUM(CASE WHEN kind IN ('add', 'import') AND created >= ? AND created < ? THEN amount_units ELSE 0 END), 0) AS earned_manually,
                    COALESCE(SUM(CASE WHEN kind = 'earn' AND created >= ? AND created < ? THEN amount_units ELSE 0 END), 0) AS earned_by_rules,
                    COALESCE(SUM(CASE WHEN kind = 'deduct' AND created >= ? AND created < ? THEN -amount_units ELSE 0 END), 0) AS spent_manually,
                    COALESCE(SUM(CASE WHEN kind = 'spend' AND created >= ? AND created < ? THEN -amount_units ELSE 0 END), 0) AS spent_by_rules
                FROM loyalty_ledger WHERE program_id = ?
                """, arguments: [dayStart, dayEnd, dayStart, dayEnd, dayStart, dayEnd, dayStart, dayEnd, programId])!
            totals.readLedgerSums { ledger[$0] }
            let members = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS members, COALESCE(SUM(CASE WHEN joined >= ? AND joined < ? THEN 1 ELSE 0 END), 0) AS new
                FROM (SELECT joined FROM loyalty_membership WHERE program_id = ? AND subledger_id = '' AND joined IS NOT NULL)
                """, arguments: [dayStart, dayEnd, programId])!
            (totals.members, totals.newMembers) = (members["members"], members["new"])
            return totals
        }
    }

    public func loyaltyHolderBalances(programId: Int64, holderKind: String, afterHolder: String?, limit: Int,
                                      now: Date) async throws -> (balances: [LoyaltyHolderBalance], lastHolder: String?)
    {
        try await pool.write { db in
            _ = try Self.loyaltyProgram(db, id: programId)
            _ = try Self.recordDueLoyalty(db, now: now, holder: nil)
            let cards: [(identifier: String, status: String, created: Date)]? = holderKind == "card" ? try Row.fetchAll(db, sql: """
                SELECT identifier, status, created FROM loyalty_card WHERE program_id = ? AND identifier > ?
                ORDER BY identifier LIMIT ?
                """, arguments: [programId, afterHolder ?? "", limit]).map {
                    (identifier: $0["identifier"] as String, status: $0["status"] as String, created: $0.date("created"))
                } : nil
            let holders = try cards.map { $0.map(\.identifier) } ?? String.fetchAll(db, sql: """
                SELECT DISTINCT holder FROM loyalty_ledger WHERE program_id = ? AND holder_kind = ? AND holder > ?
                ORDER BY holder LIMIT ?
                """, arguments: [programId, holderKind, afterHolder ?? "", limit])
            guard let first = holders.first, let last = holders.last else { return ([], nil) }
            let rows = try Row.fetchAll(db, sql: """
                SELECT l.holder, l.subledger_id, MIN(l.created) AS joined, COALESCE(b.active_units, 0) AS active,
                    SUM(CASE WHEN l.activated = 0 AND l.remaining_units > 0 THEN l.remaining_units ELSE 0 END) AS pending,
                    SUM(CASE WHEN l.kind IN ('spend', 'deduct', 'rollback_spend') THEN -l.amount_units ELSE 0 END) AS spent,
                    SUM(CASE WHEN l.kind = 'expire' THEN -l.amount_units ELSE 0 END) AS expired
                FROM loyalty_ledger l LEFT JOIN loyalty_balance b ON b.program_id = l.program_id
                    AND b.holder_kind = l.holder_kind AND b.holder = l.holder AND b.subledger_id = l.subledger_id
                WHERE l.program_id = ? AND l.holder_kind = ? AND l.holder >= ? AND l.holder <= ?
                GROUP BY l.holder, l.subledger_id ORDER BY l.holder, l.subledger_id
                """, arguments: [programId, holderKind, first, last])
            let balances = rows.map { row in
                var balance = LoyaltyBalance()
                let active = StoredMoney.decimal(row["active"])
                (balance.activePoints, balance.negativePoints) = (max(active, 0), max(-active, 0))
                balance.pendingPoints = StoredMoney.decimal(row["pending"])
                balance.spentPoints = StoredMoney.decimal(row["spent"])
                balance.expiredPoints = StoredMoney.decimal(row["expired"])
                return LoyaltyHolderBalance(holder: row["holder"], subledgerId: row["subledger_id"], balance: balance,
                                            joined: row.date("joined"))
            }
            return (cards.map { LoyaltyHolderBalance.cards(balances, $0) } ?? balances, holders.count == limit ? last : nil)
        }
    }

    public func deleteLoyaltyTransactions(programId: Int64, holder: LoyaltyHolder, subledgerIds: [String]?)
        async throws -> Int
    {
        try await pool.write { db in
            _ = try Self.loyaltyProgram(db, id: programId)
            var scope = "program_id = ? AND holder_kind = ? AND holder = ?"
            var arguments: StatementArguments = [programId, holder.kind, holder.identifier]
            if let subledgerIds {
                scope += " AND subledger_id IN (\(databaseQuestionMarks(count: subledgerIds.count)))"
                arguments += StatementArguments(subledgerIds)
            }
            try db.execute(sql: "DELETE FROM loyalty_balance WHERE \(scope)", arguments: arguments)
            try db.execute(sql: "DELETE FROM loyalty_ledger WHERE \(scope)", arguments: arguments)
            let deleted = db.changesCount
            var members = LoyaltyMembershipChanges()
            members.note(programId, holder)
            try Self.settleMemberships(db, members, now: Date().storagePrecision)
            return deleted
        }
    }
}
