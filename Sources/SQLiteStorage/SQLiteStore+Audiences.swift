import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: AudienceStore {
    public func createAudience(_ audience: Audience) async throws -> Audience {
        try await pool.write { db in
            do {
                try db.execute(sql: """
                    INSERT INTO audience (account_id, name, description, sandbox, integration, integration_id,
                        created_in_3rd_party, last_update, created)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [audience.accountId, audience.name, audience.description, audience.sandbox,
                                     audience.integration, audience.integrationId, audience.createdIn3rdParty,
                                     audience.lastUpdate, audience.created])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                throw StoreError.conflict("an audience with this integration and integrationId exists already")
            }
            var stored = audience
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    public func audience(id: Int64, accountId: Int64) async throws -> Audience {
        try await pool.read { db in try Self.audience(db, id: id, accountId: accountId) }
    }

    public func updateAudience(_ audience: Audience) async throws -> Audience {
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE audience SET name = ?, description = ?, last_update = ? WHERE id = ? AND account_id = ?
                """, arguments: [audience.name, audience.description, audience.lastUpdate, audience.id,
                                 audience.accountId])
            return try Self.audience(db, id: audience.id, accountId: audience.accountId)
        }
    }

    public func deleteAudience(id: Int64, accountId: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM audience WHERE id = ? AND account_id = ?", arguments: [id, accountId])
            if db.changesCount == 0 { throw StoreError.notFound(entity: "audience") }
        }
    }

    public func audiences(accountId: Int64, page: PageRequest) async throws -> (audiences: [Audience], hasMore: Bool) {
        let order = try Self.orderClause(page.sort, allowed: ["id": "id", "created": "created", "name": "name"],
                                         default: "id")
        return try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM audience WHERE account_id = ? \(order) LIMIT ? OFFSET ?",
                                        arguments: [accountId, page.pageSize + 1, page.skip])
            return (rows.prefix(page.pageSize).map(Self.audience(from:)), rows.count > page.pageSize)
        }
    }

    public func countAudiences(accountId: Int64) async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audience WHERE account_id = ?", arguments: [accountId]) ?? 0
        }
    }

    public func audienceMembers(audienceId: Int64, accountId: Int64, page: PageRequest) async throws
        -> (members: [AudienceMember], hasMore: Bool)
    {
        try await pool.read { db in
            _ = try Self.audience(db, id: audienceId, accountId: accountId)
            // The profile of the member's integration id in the account's lowest application, when there is one.
            let rows = try Row.fetchAll(db, sql: """
                SELECT m.id AS membership_id, m.profile_integration_id, m.created AS joined, p.*
                FROM audience_membership m
                LEFT JOIN customer_profile p ON p.id = (
                    SELECT id FROM customer_profile WHERE account_id = ? AND integration_id = m.profile_integration_id
                    ORDER BY application_id LIMIT 1)
                WHERE m.audience_id = ? ORDER BY m.id LIMIT ? OFFSET ?
                """, arguments: [accountId, audienceId, page.pageSize + 1, page.skip])
            let members = try rows.prefix(page.pageSize).map { row in
                AudienceMember(
                    membershipId: row["membership_id"], profileIntegrationId: row["profile_integration_id"],
                    profile: (row["id"] as Int64?) == nil ? nil : try Self.profile(from: row), created: row.date("joined")
                )
            }
            return (members, rows.count > page.pageSize)
        }
    }

    public func deleteAudienceMemberships(audienceId: Int64, accountId: Int64) async throws {
        try await pool.write { db in
            _ = try Self.audience(db, id: audienceId, accountId: accountId)
            try db.execute(sql: "DELETE FROM audience_membership WHERE audience_id = ?", arguments: [audienceId])
        }
    }

    public func replaceAudienceMembers(audienceId: Int64, accountId: Int64, profileIntegrationIds: [String], now: Date)
        async throws -> Int
    {
        try await pool.write { db in
            _ = try Self.audience(db, id: audienceId, accountId: accountId)
            try db.execute(sql: "DELETE FROM audience_membership WHERE audience_id = ?", arguments: [audienceId])
            try Self.applyAudienceChanges(db, profileIntegrationIds.map {
                AudienceMembershipChange(audienceId: audienceId, profileIntegrationId: $0, joins: true)
            }, now: now)
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audience_membership WHERE audience_id = ?",
                                    arguments: [audienceId]) ?? 0
        }
    }

    public func updateAudienceMemberAttributes(audienceId: Int64, accountId: Int64, attributes: [String: JSONValue])
        async throws -> Int
    {
        let patch = try Self.encodeJSON(attributes)
        return try await pool.write { db in
            _ = try Self.audience(db, id: audienceId, accountId: accountId)
            try db.execute(sql: """
                UPDATE customer_profile SET attributes = json_patch(attributes, ?)
                WHERE application_id IN (SELECT id FROM application WHERE account_id = ?)
                    AND integration_id IN (SELECT profile_integration_id FROM audience_membership WHERE audience_id = ?)
                """, arguments: [patch, accountId, audienceId])
            return db.changesCount
        }
    }

    public func changeAudienceMemberships(_ changes: [AudienceMembershipChange], accountId: Int64, now: Date)
        async throws
    {
        try await pool.write { db in
            for audienceId in Set(changes.map(\.audienceId)) {
                _ = try Self.audience(db, id: audienceId, accountId: accountId)
            }
            try Self.applyAudienceChanges(db, changes, now: now)
        }
    }

    public func audienceMemberships(accountId: Int64, profileIntegrationId: String) async throws -> [Audience] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: AnswerStatements.audienceMemberships),
                             arguments: [accountId, profileIntegrationId]).map(Self.audience(from:))
        }
    }

    public func audienceMemberCounts(accountId: Int64) async throws -> [Int64: Int] {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT a.id, COUNT(m.id) AS members FROM audience a LEFT JOIN audience_membership m ON m.audience_id = a.id
                WHERE a.account_id = ? GROUP BY a.id
                """, arguments: [accountId])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as Int64, $0["members"] as Int) })
        }
    }

    // MARK: Inside a session or profile commit

    /// Joins and leaves, in order; joining twice or leaving an audience one is not in changes nothing, and an
    /// audience deleted meanwhile is skipped (the insert selects it).
    static func applyAudienceChanges(_ db: Database, _ changes: [AudienceMembershipChange], now: Date) throws {
        for change in changes {
            if change.joins {
                try db.cachedStatement(sql: """
                    INSERT INTO audience_membership (audience_id, profile_integration_id, created)
                    SELECT id, ?, ? FROM audience WHERE id = ?
                    ON CONFLICT (audience_id, profile_integration_id) DO NOTHING
                    """).execute(arguments: [change.profileIntegrationId, now.stored, change.audienceId])
            } else {
                try db.cachedStatement(sql: """
                    DELETE FROM audience_membership WHERE audience_id = ? AND profile_integration_id = ?
                    """).execute(arguments: [change.audienceId, change.profileIntegrationId])
            }
        }
    }

    private static func audience(_ db: Database, id: Int64, accountId: Int64) throws -> Audience {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM audience WHERE id = ? AND account_id = ?",
                                         arguments: [id, accountId])
        else { throw StoreError.notFound(entity: "audience") }
        return audience(from: row)
    }

    static func audience(from row: Row) -> Audience {
        var audience = Audience(id: row["id"], accountId: row["account_id"], name: row["name"],
                                sandbox: row["sandbox"], created: row.date("created"))
        audience.description = row["description"]
        audience.integration = row["integration"]
        audience.integrationId = row["integration_id"]
        audience.createdIn3rdParty = row["created_in_3rd_party"]
        audience.lastUpdate = row.optionalDate("last_update")
        return audience
    }
}
