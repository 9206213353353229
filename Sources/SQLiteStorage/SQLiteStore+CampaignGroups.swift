import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: CampaignGroupStore {
    public func createCampaignGroup(accountId: Int64, settings: CampaignGroupSettings, now: Date) async throws
        -> CampaignGroup
    {
        let json = try Self.encodeJSON(settings)
        return try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO campaign_group (account_id, name, settings, created, modified) VALUES (?, ?, ?, ?, ?)",
                arguments: [accountId, settings.name, json, now, now]
            )
            return CampaignGroup(id: db.lastInsertedRowID, accountId: accountId, created: now, modified: now,
                                 settings: settings)
        }
    }

    public func campaignGroups(accountId: Int64, page: PageRequest) async throws -> Page<CampaignGroup> {
        let order = try Self.orderClause(page.sort, allowed: ["id": "id", "name": "name", "created": "created"],
                                         default: "id")
        return try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM campaign_group WHERE account_id = ?",
                                         arguments: [accountId]) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM campaign_group WHERE account_id = ? \(order) LIMIT ? OFFSET ?",
                arguments: [accountId, page.pageSize, page.skip]
            )
            return Page(items: try rows.map(Self.campaignGroup(from:)), totalCount: total)
        }
    }

    public func campaignGroup(id: Int64, accountId: Int64) async throws -> CampaignGroup {
        try await pool.read { db in try Self.campaignGroup(db, id: id, accountId: accountId) }
    }

    public func updateCampaignGroup(id: Int64, accountId: Int64, settings: CampaignGroupSettings, now: Date)
        async throws -> CampaignGroup
    {
        let json = try Self.encodeJSON(settings)
        return try await pool.write { db in
            var group = try Self.campaignGroup(db, id: id, accountId: accountId)
            try db.execute(sql: "UPDATE campaign_group SET name = ?, settings = ?, modified = ? WHERE id = ?",
                           arguments: [settings.name, json, now, id])
            group.settings = settings
            group.modified = now
            return group
        }
    }

    public func deleteCampaignGroup(id: Int64, accountId: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM campaign_group WHERE id = ? AND account_id = ?", arguments: [id, accountId])
            if db.changesCount == 0 { throw StoreError.notFound(entity: "campaign group") }
        }
    }

    private static func campaignGroup(_ db: Database, id: Int64, accountId: Int64) throws -> CampaignGroup {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM campaign_group WHERE id = ? AND account_id = ?",
                                         arguments: [id, accountId])
        else { throw StoreError.notFound(entity: "campaign group") }
        return try campaignGroup(from: row)
    }

    private static func campaignGroup(from row: Row) throws -> CampaignGroup {
        CampaignGroup(id: row["id"], accountId: row["account_id"], created: row.date("created"),
                      modified: row.date("modified"),
                      settings: try decodeJSON(CampaignGroupSettings.self, from: row["settings"]))
    }
}
