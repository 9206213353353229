import Foundation
import PromotionEngine
import Storage

extension PostgresStore: AudienceStore {
    public func createAudience(_ audience: Audience) async throws -> Audience {
        try await write { db in
            let id = try await Self.mappingUniqueViolation(
                to: .conflict("an audience with this integration and integrationId exists already")
            ) {
                try await db.value(Int64.self, """
                    INSERT INTO audience (account_id, name, description, sandbox, integration, integration_id,
                        created_in_3rd_party, last_update, created)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    RETURNING id
                    """, [audience.accountId, audience.name, audience.description, audience.sandbox,
                          audience.integration, audience.integrationId, audience.createdIn3rdParty,
                          audience.lastUpdate, audience.created]) ?? 0
            }
            var stored = audience
            stored.id = id
            return stored
        }
    }

    public func audience(id: Int64, accountId: Int64) async throws -> Audience {
        try await read { db in try await Self.audience(db, id: id, accountId: accountId) }
    }

    public func updateAudience(_ audience: Audience) async throws -> Audience {
        try await write { db in
            try await db.execute("""
                UPDATE audience SET name = ?, description = ?, last_update = ? WHERE id = ? AND account_id = ?
                """, [audience.name, audience.description, audience.lastUpdate, audience.id, audience.accountId])
            return try await Self.audience(db, id: audience.id, accountId: audience.accountId)
        }
    }

    public func deleteAudience(id: Int64, accountId: Int64) async throws {
        try await write { db in
            let deleted = try await db.changes("DELETE FROM audience WHERE id = ? AND account_id = ? RETURNING 1",
                                               [id, accountId])
            if deleted == 0 { throw StoreError.notFound(entity: "audience") }
        }
    }

    public func audiences(accountId: Int64, page: PageRequest) async throws -> (audiences: [Audience], hasMore: Bool) {
        let order = try listingOrder(page.sort, allowed: ["id": "id", "created": "created", "name": "name"],
                                     default: "id")
        return try await read { db in
            let rows = try await db.rows("SELECT * FROM audience WHERE account_id = ? \(order) LIMIT ? OFFSET ?",
                                         [accountId, page.pageSize + 1, page.skip])
            return (try rows.prefix(page.pageSize).map(Self.audience(from:)), rows.count > page.pageSize)
        }
    }

    public func countAudiences(accountId: Int64) async throws -> Int {
        try await read { db in
            try await db.value(Int.self, "SELECT COUNT(*) FROM audience WHERE account_id = ?", [accountId]) ?? 0
        }
    }

    public func audienceMembers(audienceId: Int64, accountId: Int64, page: PageRequest) async throws
        -> (members: [AudienceMember], hasMore: Bool)
    {
        try await read { db in
            _ = try await Self.audience(db, id: audienceId, accountId: accountId)
            // The profile of the member's integration id in the account's lowest application, when there is one.
            let rows = try await db.rows("""
                SELECT m.id AS membership_id, m.profile_integration_id, m.created AS joined, p.*
                FROM audience_membership m
                LEFT JOIN customer_profile p ON p.id = (
                    SELECT id FROM customer_profile WHERE account_id = ? AND integration_id = m.profile_integration_id
                    ORDER BY application_id LIMIT 1)
                WHERE m.audience_id = ? ORDER BY m.id LIMIT ? OFFSET ?
                """, [accountId, audienceId, page.pageSize + 1, page.skip])
            let members = try rows.prefix(page.pageSize).map { row in
                AudienceMember(
                    membershipId: try row["membership_id"], profileIntegrationId: try row["profile_integration_id"],
                    profile: (try row["id"] as Int64?) == nil ? nil : try Self.profile(from: row),
                    created: try row.date("joined")
                )
            }
            return (members, rows.count > page.pageSize)
        }
    }

    public func deleteAudienceMemberships(audienceId: Int64, accountId: Int64) async throws {
        try await write { db in
            _ = try await Self.audience(db, id: audienceId, accountId: accountId)
            try await db.execute("DELETE FROM audience_membership WHERE audience_id = ?", [audienceId])
        }
    }

    public func replaceAudienceMembers(audienceId: Int64, accountId: Int64, profileIntegrationIds: [String], now: Date)
        async throws -> Int
    {
        try await write { db in
            _ = try await Self.audience(db, id: audienceId, accountId: accountId)
            try await db.execute("DELETE FROM audience_membership WHERE audience_id = ?", [audienceId])
            try await Self.applyAudienceChanges(db, profileIntegrationIds.map {
                AudienceMembershipChange(audienceId: audienceId, profileIntegrationId: $0, joins: true)
            }, now: now)
            return Int(try await db.value(Int64.self, "SELECT COUNT(*) FROM audience_membership WHERE audience_id = ?",
                                          [audienceId]) ?? 0)
        }
    }

    public func updateAudienceMemberAttributes(audienceId: Int64, accountId: Int64, attributes: [String: JSONValue])
        async throws -> Int
    {
        let patch = try StoredJSON.encode(attributes)
        return try await write { db in
            _ = try await Self.audience(db, id: audienceId, accountId: accountId)
            return try await db.changes("""
                UPDATE customer_profile SET attributes = (attributes::jsonb || ?::jsonb)::text
                WHERE application_id IN (SELECT id FROM application WHERE account_id = ?)
                    AND integration_id IN (SELECT profile_integration_id FROM audience_membership WHERE audience_id = ?)
                RETURNING 1
                """, [patch, accountId, audienceId])
        }
    }

    public func changeAudienceMemberships(_ changes: [AudienceMembershipChange], accountId: Int64, now: Date)
        async throws
    {
        try await write { db in
            for audienceId in Set(changes.map(\.audienceId)).sorted() {
                _ = try await Self.audience(db, id: audienceId, accountId: accountId)
            }
            try await Self.applyAudienceChanges(db, changes, now: now)
        }
    }

    public func audienceMemberships(accountId: Int64, profileIntegrationId: String) async throws -> [Audience] {
        try await read { db in
            try await db.rows(AnswerStatements.audienceMemberships, [accountId, profileIntegrationId])
                .map(Self.audience(from:))
        }
    }

    public func audienceMemberCounts(accountId: Int64) async throws -> [Int64: Int] {
        try await read { db in
            let rows = try await db.rows("""
                SELECT a.id, COUNT(m.id) AS members FROM audience a LEFT JOIN audience_membership m ON m.audience_id = a.id
                WHERE a.account_id = ? GROUP BY a.id
                """, [accountId])
            return Dictionary(uniqueKeysWithValues: try rows.map { (try $0["id"] as Int64, try $0["members"] as Int) })
        }
    }

    // MARK: Inside a session or profile commit

    /// Joins and leaves, in order; joining twice or leaving an audience one is not in changes nothing, and an
    /// audience deleted meanwhile is skipped (the insert selects it).
    static func applyAudienceChanges(_ db: Database, _ changes: [AudienceMembershipChange], now: Date) async throws {
        for change in changes {
            if change.joins {
                try await db.execute("""
                    INSERT INTO audience_membership (audience_id, profile_integration_id, created)
                    SELECT id, ?, ? FROM audience WHERE id = ?
                    ON CONFLICT (audience_id, profile_integration_id) DO NOTHING
                    """, [change.profileIntegrationId, now, change.audienceId])
            } else {
                try await db.execute("""
                    DELETE FROM audience_membership WHERE audience_id = ? AND profile_integration_id = ?
                    """, [change.audienceId, change.profileIntegrationId])
            }
        }
    }

    private static func audience(_ db: Database, id: Int64, accountId: Int64) async throws -> Audience {
        guard let row = try await db.row("SELECT * FROM audience WHERE id = ? AND account_id = ?", [id, accountId])
        else { throw StoreError.notFound(entity: "audience") }
        return try audience(from: row)
    }

    static func audience(from row: Row) throws -> Audience {
        var audience = Audience(id: try row["id"], accountId: try row["account_id"], name: try row["name"],
                                sandbox: try row["sandbox"], created: try row.date("created"))
        audience.description = try row["description"]
        audience.integration = try row["integration"]
        audience.integrationId = try row["integration_id"]
        audience.createdIn3rdParty = try row["created_in_3rd_party"]
        audience.lastUpdate = try row.optionalDate("last_update")
        return audience
    }
}
