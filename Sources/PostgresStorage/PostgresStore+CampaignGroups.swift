import Foundation
import PromotionEngine
import Storage

extension PostgresStore: CampaignGroupStore {
    public func createCampaignGroup(accountId: Int64, settings: CampaignGroupSettings, now: Date) async throws
        -> CampaignGroup
    {
        let json = try StoredJSON.encode(settings)
        return try await write { db in
            let id = try await db.value(Int64.self, """
                INSERT INTO campaign_group (account_id, name, settings, created, modified) VALUES (?, ?, ?, ?, ?)
                RETURNING id
                """, [accountId, settings.name, json, now, now]) ?? 0
            return CampaignGroup(id: id, accountId: accountId, created: now, modified: now, settings: settings)
        }
    }

    public func campaignGroups(accountId: Int64, page: PageRequest) async throws -> Page<CampaignGroup> {
        let order = try listingOrder(page.sort, allowed: ["id": "id", "name": "name", "created": "created"],
                                         default: "id")
        return try await read { db in
            let total = try await db.value(Int.self, "SELECT COUNT(*) FROM campaign_group WHERE account_id = ?",
                                           [accountId]) ?? 0
            let rows = try await db.rows("SELECT * FROM campaign_group WHERE account_id = ? \(order) LIMIT ? OFFSET ?",
                                         [accountId, page.pageSize, page.skip])
            return Page(items: try rows.map(Self.campaignGroup(from:)), totalCount: total)
        }
    }

    public func campaignGroup(id: Int64, accountId: Int64) async throws -> CampaignGroup {
        try await read { db in
            guard let row = try await db.row("SELECT * FROM campaign_group WHERE id = ? AND account_id = ?",
                                             [id, accountId])
            else { throw StoreError.notFound(entity: "campaign group") }
            return try Self.campaignGroup(from: row)
        }
    }

    public func updateCampaignGroup(id: Int64, accountId: Int64, settings: CampaignGroupSettings, now: Date)
        async throws -> CampaignGroup
    {
        let json = try StoredJSON.encode(settings)
        return try await write { db in
            guard let row = try await db.row("""
                UPDATE campaign_group SET name = ?, settings = ?, modified = ? WHERE id = ? AND account_id = ?
                RETURNING *
                """, [settings.name, json, now, id, accountId])
            else { throw StoreError.notFound(entity: "campaign group") }
            return try Self.campaignGroup(from: row)
        }
    }

    public func deleteCampaignGroup(id: Int64, accountId: Int64) async throws {
        try await write { db in
            let deleted = try await db.changes("DELETE FROM campaign_group WHERE id = ? AND account_id = ? RETURNING 1",
                                               [id, accountId])
            if deleted == 0 { throw StoreError.notFound(entity: "campaign group") }
        }
    }

    private static func campaignGroup(from row: Row) throws -> CampaignGroup {
        CampaignGroup(id: try row["id"], accountId: try row["account_id"], created: try row.date("created"),
                      modified: try row.date("modified"),
                      settings: try StoredJSON.decode(CampaignGroupSettings.self, from: try row["settings"]))
    }
}
