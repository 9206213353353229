import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: ApplicationStore {
    public func createApplication(accountId: Int64, settings: ApplicationSettings, now: Date) async throws
        -> Application
    {
        let json = try Self.encodeJSON(settings)
        return try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO application (account_id, name, created, modified, settings) VALUES (?, ?, ?, ?, ?)",
                arguments: [accountId, settings.name, now, now, json]
            )
            return Application(
                id: db.lastInsertedRowID, accountId: accountId, created: now, modified: now, settings: settings
            )
        }
    }

    public func application(id: Int64, accountId: Int64) async throws -> Application {
        try await pool.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT * FROM application WHERE id = ? AND account_id = ?", arguments: [id, accountId]
            ) else { throw StoreError.notFound(entity: "application") }
            return try Self.application(from: row)
        }
    }

    public func applications(accountId: Int64, page: PageRequest) async throws -> Page<Application> {
        let order = try Self.orderClause(
            page.sort, allowed: ["id": "id", "name": "name", "created": "created", "modified": "modified"],
            default: "id"
        )
        return try await pool.read { db in
            let total = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM application WHERE account_id = ?", arguments: [accountId]
            ) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM application WHERE account_id = ? \(order) LIMIT ? OFFSET ?",
                arguments: [accountId, page.pageSize, page.skip]
            )
            return Page(items: try rows.map(Self.application(from:)), totalCount: total)
        }
    }

    public func updateApplication(id: Int64, accountId: Int64, settings: ApplicationSettings, now: Date) async throws
        -> Application
    {
        let json = try Self.encodeJSON(settings)
        return try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE application SET name = ?, modified = ?, settings = ?, campaign_revision = campaign_revision + 1
                    WHERE id = ? AND account_id = ?
                    """,
                arguments: [settings.name, now, json, id, accountId]
            )
            if db.changesCount == 0 { throw StoreError.notFound(entity: "application") }
            db.afterNextTransaction { _ in ConfigurationChanges.record() }
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM application WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound(entity: "application")
            }
            return try Self.application(from: row)
        }
    }

    public func deleteApplication(id: Int64, accountId: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM application WHERE id = ? AND account_id = ?", arguments: [id, accountId])
            if db.changesCount == 0 { throw StoreError.notFound(entity: "application") }
            db.afterNextTransaction { _ in ConfigurationChanges.record() }
        }
    }

    public func applicationAccountId(applicationId: Int64) async throws -> Int64 {
        try await pool.read { db in
            guard let accountId = try Int64.fetchOne(
                db, sql: "SELECT account_id FROM application WHERE id = ?", arguments: [applicationId]
            ) else { throw StoreError.notFound(entity: "application") }
            return accountId
        }
    }

    static func application(from row: Row) throws -> Application {
        Application(
            id: row["id"], accountId: row["account_id"], created: row.date("created"), modified: row.date("modified"),
            settings: try decodeJSON(ApplicationSettings.self, from: row["settings"])
        )
    }
}
