import Foundation
import PromotionEngine
import Storage

extension PostgresStore: GiveawayStore {
    public func createGiveawaysPool(_ pool: GiveawaysPool) async throws -> GiveawaysPool {
        let applications = try StoredJSON.encode(pool.subscribedApplicationIds)
        return try await write { db in
            let id = try await db.value(Int64.self, """
                INSERT INTO giveaway_pool (account_id, name, description, subscribed_application_ids, sandbox, created,
                    created_by, modified)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                RETURNING id
                """, [pool.accountId, pool.name, pool.description, applications, pool.sandbox, pool.created,
                      pool.createdBy, pool.modified]) ?? 0
            var stored = pool
            stored.id = id
            return stored
        }
    }

    public func giveawaysPool(id: Int64, accountId: Int64) async throws -> GiveawaysPool {
        try await read { db in try await Self.giveawaysPool(db, id: id, accountId: accountId) }
    }

    public func giveawaysPools(accountId: Int64, page: PageRequest) async throws
        -> (pools: [GiveawaysPool], hasMore: Bool)
    {
        let order = try listingOrder(page.sort, allowed: ["id": "id", "created": "created", "name": "name"],
                                     default: "id")
        return try await read { db in
            let rows = try await db.rows("SELECT * FROM giveaway_pool WHERE account_id = ? \(order) LIMIT ? OFFSET ?",
                                         [accountId, page.pageSize + 1, page.skip])
            return (try rows.prefix(page.pageSize).map(Self.giveawaysPool(from:)), rows.count > page.pageSize)
        }
    }

    public func importGiveaways(_ giveaways: [Giveaway], poolId: Int64, accountId: Int64, now: Date) async throws
        -> Int64
    {
        let attributes = try giveaways.map { try StoredJSON.encode($0.attributes) }
        return try await write { db in
            _ = try await Self.giveawaysPool(db, id: poolId, accountId: accountId)
            let importId = try await db.value(Int64.self, """
                INSERT INTO giveaway_import (pool_id, amount, created) VALUES (?, ?, ?) RETURNING id
                """, [poolId, giveaways.count, now]) ?? 0
            for (giveaway, attributes) in zip(giveaways, attributes) {
                try await db.execute("""
                    INSERT INTO giveaway (pool_id, code, start_date, end_date, attributes, import_id, created)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [poolId, giveaway.code, giveaway.startDate, giveaway.endDate, attributes, importId, now])
            }
            return importId
        }
    }

    public func giveaways(poolId: Int64, accountId: Int64, filter: GiveawayFilter, pageSize: Int) async throws
        -> (giveaways: [Giveaway], hasMore: Bool)
    {
        let (conditions, dates) = filter.createdConditions
        return try await read { db in
            _ = try await Self.giveawaysPool(db, id: poolId, accountId: accountId)
            let arguments: SQLArguments = [poolId, filter.afterId ?? 0] + dates.map { $0 } + [pageSize + 1]
            let rows = try await db.rows(
                "SELECT * FROM giveaway WHERE pool_id = ? AND id > ?\(conditions) ORDER BY id LIMIT ?", arguments
            )
            return (try rows.prefix(pageSize).map(Self.giveaway(from:)), rows.count > pageSize)
        }
    }

    public func awardedGiveaways(applicationId: Int64, profileIntegrationId: String, limit: Int) async throws
        -> [Giveaway]
    {
        try await read { db in
            try await db.rows("""
                SELECT * FROM giveaway WHERE awarded_application_id = ? AND awarded_to = ? ORDER BY id LIMIT ?
                """, [applicationId, profileIntegrationId, limit]).map(Self.giveaway(from:))
        }
    }

    // MARK: Inside a session commit

    /// The commit's claims, in order: each one guarded statement taking the pool's lowest code that no commit
    /// holds (`SKIP LOCKED`: concurrent commits take different codes without waiting; none left: nil). Then the
    /// session's stored effects get the codes (an extra write only when there were claims).
    static func applyGiveawayClaims(_ db: Database, _ commit: SessionCommit, session: CustomerSession) async throws
        -> [Giveaway?]
    {
        guard !commit.giveawayClaims.isEmpty else { return [] }
        var awarded: [Giveaway?] = []
        for request in commit.giveawayClaims {
            let row = try await db.row("""
                UPDATE giveaway SET awarded_to = ?, awarded_profile_id = ?, awarded_application_id = ?,
                    awarded_session_id = ?, awarded = ?
                WHERE id = (SELECT id FROM giveaway WHERE pool_id = ? AND awarded_to IS NULL ORDER BY id LIMIT 1
                            FOR UPDATE SKIP LOCKED)
                    AND awarded_to IS NULL
                RETURNING *
                """, [request.recipientIntegrationId, request.profileId == 0 ? nil : request.profileId,
                      session.applicationId, session.integrationId, session.updated, request.poolId])
            awarded.append(try row.map(giveaway(from:)))
        }
        try await db.execute("UPDATE customer_session SET effects = ? WHERE id = ?", [
            JSONText.effects(GiveawayAwards.apply(awarded, to: commit.effects)), session.id,
        ])
        return awarded
    }

    private static func giveawaysPool(_ db: Database, id: Int64, accountId: Int64) async throws -> GiveawaysPool {
        guard let row = try await db.row("SELECT * FROM giveaway_pool WHERE id = ? AND account_id = ?", [id, accountId])
        else { throw StoreError.notFound(entity: "giveaways pool") }
        return try giveawaysPool(from: row)
    }

    private static func giveawaysPool(from row: Row) throws -> GiveawaysPool {
        var pool = GiveawaysPool(
            id: try row["id"], accountId: try row["account_id"], name: try row["name"],
            subscribedApplicationIds: try StoredJSON.decode([Int64].self, from: try row["subscribed_application_ids"]),
            sandbox: try row["sandbox"], created: try row.date("created"), createdBy: try row["created_by"]
        )
        pool.description = try row["description"]
        pool.modified = try row.optionalDate("modified")
        return pool
    }

    private static func giveaway(from row: Row) throws -> Giveaway {
        var giveaway = Giveaway(
            id: try row["id"], poolId: try row["pool_id"], code: try row["code"],
            attributes: try StoredJSON.decode([String: JSONValue].self, from: try row["attributes"]),
            importId: try row["import_id"], created: try row.date("created")
        )
        giveaway.startDate = try row.optionalDate("start_date")
        giveaway.endDate = try row.optionalDate("end_date")
        giveaway.awardedTo = try row["awarded_to"]
        giveaway.awardedProfileId = try row["awarded_profile_id"]
        giveaway.awarded = try row.optionalDate("awarded")
        return giveaway
    }
}
