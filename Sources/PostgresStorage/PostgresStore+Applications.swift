import Foundation
import PromotionEngine
import Storage

extension PostgresStore: ApplicationStore {
    public func createApplication(accountId: Int64, settings: ApplicationSettings, now: Date) async throws
        -> Application
    {
        let json = try StoredJSON.encode(settings)
        return try await write { db in
            let id = try await db.value(Int64.self, """
                INSERT INTO application (account_id, name, created, modified, settings) VALUES (?, ?, ?, ?, ?)
                RETURNING id
                """, [accountId, settings.name, now, now, json]) ?? 0
            return Application(id: id, accountId: accountId, created: now, modified: now, settings: settings)
        }
    }

    public func application(id: Int64, accountId: Int64) async throws -> Application {
        try await read { db in
            guard let row = try await db.row("SELECT * FROM application WHERE id = ? AND account_id = ?",
                                             [id, accountId])
            else { throw StoreError.notFound(entity: "application") }
            return try Self.application(from: row)
        }
    }

    public func applications(accountId: Int64, page: PageRequest) async throws -> Page<Application> {
        let order = try listingOrder(
            page.sort, allowed: ["id": "id", "name": "name", "created": "created", "modified": "modified"],
            default: "id"
        )
        return try await read { db in
            let total = try await db.value(Int.self, "SELECT COUNT(*) FROM application WHERE account_id = ?",
                                           [accountId]) ?? 0
            let rows = try await db.rows("SELECT * FROM application WHERE account_id = ? \(order) LIMIT ? OFFSET ?",
                                         [accountId, page.pageSize, page.skip])
            return Page(items: try rows.map(Self.application(from:)), totalCount: total)
        }
    }

    public func updateApplication(id: Int64, accountId: Int64, settings: ApplicationSettings, now: Date) async throws
        -> Application
    {
        let json = try StoredJSON.encode(settings)
        return try await write { db in
            guard let row = try await db.row("""
                UPDATE application SET name = ?, modified = ?, settings = ?, campaign_revision = campaign_revision + 1
                WHERE id = ? AND account_id = ? RETURNING *
                """, [settings.name, now, json, id, accountId])
            else { throw StoreError.notFound(entity: "application") }
            db.changesConfiguration = true
            return try Self.application(from: row)
        }
    }

    public func deleteApplication(id: Int64, accountId: Int64) async throws {
        try await write { db in
            let deleted = try await db.changes("DELETE FROM application WHERE id = ? AND account_id = ? RETURNING 1",
                                               [id, accountId])
            if deleted == 0 { throw StoreError.notFound(entity: "application") }
            db.changesConfiguration = true
        }
    }

    public func applicationAccountId(applicationId: Int64) async throws -> Int64 {
        try await read { db in
            guard let accountId = try await db.value(Int64.self, "SELECT account_id FROM application WHERE id = ?",
                                                     [applicationId])
            else { throw StoreError.notFound(entity: "application") }
            return accountId
        }
    }

    static func application(from row: Row) throws -> Application {
        Application(
            id: try row["id"], accountId: try row["account_id"], created: try row.date("created"),
            modified: try row.date("modified"),
            settings: try StoredJSON.decode(ApplicationSettings.self, from: try row["settings"])
        )
    }
}
