import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: GiveawayStore {
    public func createGiveawaysPool(_ pool: GiveawaysPool) async throws -> GiveawaysPool {
        let applications = try Self.encodeJSON(pool.subscribedApplicationIds)
        return try await self.pool.write { db in
            try db.execute(sql: """
                INSERT INTO giveaway_pool (account_id, name, description, subscribed_application_ids, sandbox, created,
                    created_by, modified)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [pool.accountId, pool.name, pool.description, applications, pool.sandbox, pool.created,
                                 pool.createdBy, pool.modified])
            var stored = pool
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    public func giveawaysPool(id: Int64, accountId: Int64) async throws -> GiveawaysPool {
        try await pool.read { db in try Self.giveawaysPool(db, id: id, accountId: accountId) }
    }

    public func giveawaysPools(accountId: Int64, page: PageRequest) async throws
        -> (pools: [GiveawaysPool], hasMore: Bool)
    {
        let order = try Self.orderClause(page.sort, allowed: ["id": "id", "created": "created", "name": "name"],
                                         default: "id")
        return try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM giveaway_pool WHERE account_id = ? \(order) LIMIT ? OFFSET ?",
                                        arguments: [accountId, page.pageSize + 1, page.skip])
            return (try rows.prefix(page.pageSize).map(Self.giveawaysPool(from:)), rows.count > page.pageSize)
        }
    }

    public func importGiveaways(_ giveaways: [Giveaway], poolId: Int64, accountId: Int64, now: Date) async throws
        -> Int64
    {
        let attributes = try giveaways.map { try Self.encodeJSON($0.attributes) }
        return try await pool.write { db in
            _ = try Self.giveawaysPool(db, id: poolId, accountId: accountId)
            try db.execute(sql: "INSERT INTO giveaway_import (pool_id, amount, created) VALUES (?, ?, ?)",
                           arguments: [poolId, giveaways.count, now])
            let importId = db.lastInsertedRowID
            let insert = try db.cachedStatement(sql: """
                INSERT INTO giveaway (pool_id, code, start_date, end_date, attributes, import_id, created)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for (giveaway, attributes) in zip(giveaways, attributes) {
                try insert.execute(arguments: [poolId, giveaway.code, giveaway.startDate, giveaway.endDate, attributes,
                                               importId, now])
            }
            return importId
        }
    }

    public func giveaways(poolId: Int64, accountId: Int64, filter: GiveawayFilter, pageSize: Int) async throws
        -> (giveaways: [Giveaway], hasMore: Bool)
    {
        let (conditions, dates) = filter.createdConditions
        return try await pool.read { db in
            _ = try Self.giveawaysPool(db, id: poolId, accountId: accountId)
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM giveaway WHERE pool_id = ? AND id > ?\(conditions) ORDER BY id LIMIT ?",
                arguments: StatementArguments([poolId, filter.afterId ?? 0] + dates.map { $0 as any DatabaseValueConvertible } + [pageSize + 1])
            )
            return (try rows.prefix(pageSize).map(Self.giveaway(from:)), rows.count > pageSize)
        }
    }

    public func awardedGiveaways(applicationId: Int64, profileIntegrationId: String, limit: Int) async throws
        -> [Giveaway]
    {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM giveaway WHERE awarded_application_id = ? AND awarded_to = ? ORDER BY id LIMIT ?
                """, arguments: [applicationId, profileIntegrationId, limit]).map(Self.giveaway(from:))
        }
    }

    /// The commit's claims, in order: each one guarded statement taking the pool's lowest unawarded code (none
    /// left: nil). Then the session's stored effects get the codes (an extra write only when there were claims).
    static func applyGiveawayClaims(_ db: Database, _ commit: SessionCommit, session: CustomerSession) throws
        -> [Giveaway?]
    {
        guard !commit.giveawayClaims.isEmpty else { return [] }
        let claim = try db.cachedStatement(sql: """
            UPDATE giveaway SET awarded_to = ?, awarded_profile_id = ?, awarded_application_id = ?,
                awarded_session_id = ?, awarded = ?
            WHERE id = (SELECT id FROM giveaway WHERE pool_id = ? AND awarded_to IS NULL ORDER BY id LIMIT 1)
                AND awarded_to IS NULL
            RETURNING *
            """)
        let awarded = try commit.giveawayClaims.map { request -> Giveaway? in
            try Row.fetchOne(claim, arguments: [
                request.recipientIntegrationId, request.profileId == 0 ? nil : request.profileId, session.applicationId,
                session.integrationId, session.updated.stored, request.poolId,
            ]).map(giveaway(from:))
        }
        try db.execute(sql: "UPDATE customer_session SET effects = ? WHERE id = ?", arguments: [
            JSONText.effects(GiveawayAwards.apply(awarded, to: commit.effects)), session.id,
        ])
        return awarded
    }

    private static func giveawaysPool(_ db: Database, id: Int64, accountId: Int64) throws -> GiveawaysPool {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM giveaway_pool WHERE id = ? AND account_id = ?",
                                         arguments: [id, accountId])
        else { throw StoreError.notFound(entity: "giveaways pool") }
        return try giveawaysPool(from: row)
    }

    private static func giveawaysPool(from row: Row) throws -> GiveawaysPool {
        var pool = GiveawaysPool(
            id: row["id"], accountId: row["account_id"], name: row["name"],
            subscribedApplicationIds: try decodeJSON([Int64].self, from: row["subscribed_application_ids"]),
            sandbox: row["sandbox"], created: row.date("created"), createdBy: row["created_by"]
        )
        pool.description = row["description"]
        pool.modified = row.optionalDate("modified")
        return pool
    }

    static func giveaway(from row: Row) throws -> Giveaway {
        var giveaway = Giveaway(id: row["id"], poolId: row["pool_id"], code: row["code"],
                                attributes: try decodeJSON([String: JSONValue].self, from: row["attributes"]),
                                importId: row["import_id"], created: row.date("created"))
        giveaway.startDate = row.optionalDate("start_date")
        giveaway.endDate = row.optionalDate("end_date")
        giveaway.awardedTo = row["awarded_to"]
        giveaway.awardedProfileId = row["awarded_profile_id"]
        giveaway.awarded = row.optionalDate("awarded")
        return giveaway
    }
}
