import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: AdditionalCostStore {
    public func createAdditionalCost(accountId: Int64, settings: AdditionalCostSettings, now: Date) async throws
        -> AccountAdditionalCost
    {
        let json = try Self.encodeJSON(settings)
        return try await pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO additional_cost (account_id, name, settings, created) VALUES (?, ?, ?, ?)",
                arguments: [accountId, settings.name, json, now]
            )
            guard db.changesCount == 1 else {
                throw StoreError.conflict("an additional cost named '\(settings.name)' exists already")
            }
            let cost = AccountAdditionalCost(id: db.lastInsertedRowID, accountId: accountId, created: now, settings: settings)
            try Self.bumpRevisions(db, accountId: accountId)
            return cost
        }
    }

    public func updateAdditionalCost(id: Int64, accountId: Int64, settings: AdditionalCostSettings) async throws
        -> AccountAdditionalCost
    {
        let json = try Self.encodeJSON(settings)
        return try await pool.write { db in
            var cost = try Self.additionalCost(db, id: id, accountId: accountId)
            try db.execute(sql: "UPDATE OR IGNORE additional_cost SET name = ?, settings = ? WHERE id = ?",
                           arguments: [settings.name, json, id])
            guard db.changesCount == 1 else {
                throw StoreError.conflict("an additional cost named '\(settings.name)' exists already")
            }
            cost.settings = settings
            try Self.bumpRevisions(db, accountId: accountId)
            return cost
        }
    }

    public func additionalCost(id: Int64, accountId: Int64) async throws -> AccountAdditionalCost {
        try await pool.read { db in try Self.additionalCost(db, id: id, accountId: accountId) }
    }

    public func additionalCosts(accountId: Int64, page: PageRequest) async throws -> Page<AccountAdditionalCost> {
        let order = try Self.orderClause(page.sort, allowed: ["id": "id", "name": "name", "created": "created"],
                                         default: "id")
        return try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM additional_cost WHERE account_id = ?",
                                         arguments: [accountId]) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM additional_cost WHERE account_id = ? \(order) LIMIT ? OFFSET ?",
                arguments: [accountId, page.pageSize, page.skip]
            )
            return Page(items: try rows.map(Self.additionalCost(from:)), totalCount: total)
        }
    }

    public func applicationAdditionalCosts(applicationId: Int64) async throws -> [AccountAdditionalCost] {
        try await pool.read { db in try Self.applicationAdditionalCosts(db, applicationId: applicationId) }
    }

    public func customEffectIds(applicationId: Int64, names: Set<String>) async throws -> [String: Int64] {
        guard !names.isEmpty else { return [:] }
        return try await pool.write { db in
            let accountId = try Int64.fetchOne(db, sql: "SELECT account_id FROM application WHERE id = ?",
                                               arguments: [applicationId]) ?? 0
            var ids: [String: Int64] = [:]
            for name in names.sorted() {
                try db.execute(sql: "INSERT OR IGNORE INTO custom_effect (account_id, name) VALUES (?, ?)",
                               arguments: [accountId, name])
                ids[name] = try Int64.fetchOne(db, sql: "SELECT id FROM custom_effect WHERE account_id = ? AND name = ?",
                                               arguments: [accountId, name])
            }
            return ids
        }
    }

    private static func additionalCost(_ db: Database, id: Int64, accountId: Int64) throws -> AccountAdditionalCost {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM additional_cost WHERE id = ? AND account_id = ?",
                                         arguments: [id, accountId])
        else { throw StoreError.notFound(entity: "additional cost") }
        return try additionalCost(from: row)
    }

    private static func additionalCost(from row: Row) throws -> AccountAdditionalCost {
        AccountAdditionalCost(id: row["id"], accountId: row["account_id"], created: row["created"],
                              settings: try decodeJSON(AdditionalCostSettings.self, from: row["settings"]))
    }

    /// Compiled lineups carry the additional cost ids: every application of the account recompiles.
    static func bumpRevisions(_ db: Database, accountId: Int64) throws {
        let applications = try Int64.fetchAll(db, sql: "SELECT id FROM application WHERE account_id = ?",
                                              arguments: [accountId])
        for applicationId in applications { try bumpRevision(db, applicationId: applicationId) }
    }

    /// The additional costs an application may use.
    static func applicationAdditionalCosts(_ db: Database, applicationId: Int64) throws -> [AccountAdditionalCost] {
        try Row.fetchAll(db, sql: """
            SELECT c.* FROM additional_cost c JOIN application a ON a.account_id = c.account_id WHERE a.id = ?
            """, arguments: [applicationId]).map(additionalCost(from:)).filter { $0.applies(to: applicationId) }
    }
}
