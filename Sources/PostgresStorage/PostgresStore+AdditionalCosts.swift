import Foundation
import PromotionEngine
import Storage

extension PostgresStore: AdditionalCostStore {
    public func createAdditionalCost(accountId: Int64, settings: AdditionalCostSettings, now: Date) async throws
        -> AccountAdditionalCost
    {
        let json = try StoredJSON.encode(settings)
        return try await write { db in
            guard let id = try await db.value(Int64.self, """
                INSERT INTO additional_cost (account_id, name, settings, created) VALUES (?, ?, ?, ?)
                ON CONFLICT (account_id, name) DO NOTHING RETURNING id
                """, [accountId, settings.name, json, now])
            else { throw Self.nameTaken(settings.name) }
            try await Self.bumpRevisions(db, accountId: accountId)
            return AccountAdditionalCost(id: id, accountId: accountId, created: now, settings: settings)
        }
    }

    public func updateAdditionalCost(id: Int64, accountId: Int64, settings: AdditionalCostSettings) async throws
        -> AccountAdditionalCost
    {
        let json = try StoredJSON.encode(settings)
        return try await write { db in
            var cost = try await Self.additionalCost(db, id: id, accountId: accountId)
            try await Self.mappingUniqueViolation(to: Self.nameTaken(settings.name)) {
                try await db.execute("UPDATE additional_cost SET name = ?, settings = ? WHERE id = ?",
                                     [settings.name, json, id])
            }
            cost.settings = settings
            try await Self.bumpRevisions(db, accountId: accountId)
            return cost
        }
    }

    public func additionalCost(id: Int64, accountId: Int64) async throws -> AccountAdditionalCost {
        try await read { db in try await Self.additionalCost(db, id: id, accountId: accountId) }
    }

    public func additionalCosts(accountId: Int64, page: PageRequest) async throws -> Page<AccountAdditionalCost> {
        let order = try listingOrder(page.sort, allowed: ["id": "id", "name": "name", "created": "created"],
                                         default: "id")
        return try await read { db in
            let total = try await db.value(Int.self, "SELECT COUNT(*) FROM additional_cost WHERE account_id = ?",
                                           [accountId]) ?? 0
            let rows = try await db.rows("SELECT * FROM additional_cost WHERE account_id = ? \(order) LIMIT ? OFFSET ?",
                                         [accountId, page.pageSize, page.skip])
            return Page(items: try rows.map(Self.additionalCost(from:)), totalCount: total)
        }
    }

    public func applicationAdditionalCosts(applicationId: Int64) async throws -> [AccountAdditionalCost] {
        try await read { db in
            try await db.rows("""
                SELECT c.* FROM additional_cost c JOIN application a ON a.account_id = c.account_id WHERE a.id = ?
                """, [applicationId]).map(Self.additionalCost(from:)).filter { $0.applies(to: applicationId) }
        }
    }

    public func customEffectIds(applicationId: Int64, names: Set<String>) async throws -> [String: Int64] {
        guard !names.isEmpty else { return [:] }
        return try await write { db in
            let accountId = try await db.value(Int64.self, "SELECT account_id FROM application WHERE id = ?",
                                               [applicationId]) ?? 0
            var ids: [String: Int64] = [:]
            for name in names.sorted() {
                // A name registered concurrently by another node: `ON CONFLICT` waits for it, the select then sees it.
                try await db.execute("""
                    INSERT INTO custom_effect (account_id, name) VALUES (?, ?) ON CONFLICT (account_id, name) DO NOTHING
                    """, [accountId, name])
                ids[name] = try await db.value(Int64.self, "SELECT id FROM custom_effect WHERE account_id = ? AND name = ?",
                                               [accountId, name])
            }
            return ids
        }
    }

    private static func nameTaken(_ name: String) -> StoreError {
        .conflict("an additional cost named '\(name)' exists already")
    }

    private static func additionalCost(_ db: Database, id: Int64, accountId: Int64) async throws
        -> AccountAdditionalCost
    {
        guard let row = try await db.row("SELECT * FROM additional_cost WHERE id = ? AND account_id = ?",
                                         [id, accountId])
        else { throw StoreError.notFound(entity: "additional cost") }
        return try additionalCost(from: row)
    }

    private static func additionalCost(from row: Row) throws -> AccountAdditionalCost {
        AccountAdditionalCost(id: try row["id"], accountId: try row["account_id"], created: try row.date("created"),
                              settings: try StoredJSON.decode(AdditionalCostSettings.self, from: try row["settings"]))
    }

    /// Compiled lineups carry the additional cost ids: every application of the account recompiles.
    static func bumpRevisions(_ db: Database, accountId: Int64) async throws {
        try await db.execute("UPDATE application SET campaign_revision = campaign_revision + 1 WHERE account_id = ?",
                             [accountId])
        db.changesConfiguration = true
    }
}
