import Foundation
import GRDB
import Storage

extension SQLiteStore: CredentialStore {
    public func createManagementKey(_ key: ManagementKey) async throws -> ManagementKey {
        let endpoints = try Self.encodeJSON(key.endpoints)
        let applicationIds = try Self.encodeJSON(key.allowedApplicationIds)
        return try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO management_key (account_id, created_by, name, key_hash, expiry_date, endpoints,
                        allowed_application_ids, created)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.accountId, key.createdBy, key.name, key.keyHash, key.expiryDate, endpoints, applicationIds,
                    key.created,
                ]
            )
            var created = key
            created.id = db.lastInsertedRowID
            return created
        }
    }

    public func managementKeys(accountId: Int64) async throws -> [ManagementKey] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM management_key WHERE account_id = ? ORDER BY id", arguments: [
                accountId
            ]).map(Self.managementKey(from:))
        }
    }

    public func managementKey(keyHash: String) async throws -> ManagementKey? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM management_key WHERE key_hash = ?", arguments: [keyHash])
                .map(Self.managementKey(from:))
        }
    }

    public func deleteManagementKey(id: Int64, accountId: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM management_key WHERE id = ? AND account_id = ?", arguments: [id, accountId])
            if db.changesCount == 0 { throw StoreError.notFound(entity: "management key") }
        }
    }

    public func createIntegrationKey(_ key: IntegrationKey) async throws -> IntegrationKey {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO integration_key (account_id, application_id, created_by, title, key_hash, expires,
                        type, platform, time_offset, created)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.accountId, key.applicationId, key.createdBy, key.title, key.keyHash, key.expires, key.type,
                    key.platform, key.timeOffset, key.created,
                ]
            )
            var created = key
            created.id = db.lastInsertedRowID
            return created
        }
    }

    public func integrationKeys(applicationId: Int64, page: PageRequest) async throws -> Page<IntegrationKey> {
        let order = try Self.orderClause(
            page.sort, allowed: ["id": "id", "title": "title", "created": "created", "expires": "expires"],
            default: "id"
        )
        return try await pool.read { db in
            let total = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM integration_key WHERE application_id = ?", arguments: [applicationId]
            ) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM integration_key WHERE application_id = ? \(order) LIMIT ? OFFSET ?",
                arguments: [applicationId, page.pageSize, page.skip]
            )
            return Page(items: rows.map(Self.integrationKey(from:)), totalCount: total)
        }
    }

    public func integrationKey(keyHash: String) async throws -> IntegrationKey? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM integration_key WHERE key_hash = ?", arguments: [keyHash])
                .map(Self.integrationKey(from:))
        }
    }

    public func deleteIntegrationKey(id: Int64, applicationId: Int64) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM integration_key WHERE id = ? AND application_id = ?", arguments: [id, applicationId]
            )
            if db.changesCount == 0 { throw StoreError.notFound(entity: "API key") }
            db.afterNextTransaction { _ in ConfigurationChanges.record() }
        }
    }

    static func managementKey(from row: Row) throws -> ManagementKey {
        ManagementKey(
            id: row["id"], accountId: row["account_id"], createdBy: row["created_by"], name: row["name"],
            keyHash: row["key_hash"], expiryDate: row.date("expiry_date"),
            endpoints: try decodeJSON([ManagementKeyEndpoint].self, from: row["endpoints"]),
            allowedApplicationIds: try decodeJSON([Int64].self, from: row["allowed_application_ids"]),
            created: row.date("created"), lastUsed: row.optionalDate("last_used")
        )
    }

    static func integrationKey(from row: Row) -> IntegrationKey {
        IntegrationKey(
            id: row["id"], accountId: row["account_id"], applicationId: row["application_id"],
            createdBy: row["created_by"], title: row["title"], keyHash: row["key_hash"], expires: row.date("expires"),
            type: row["type"], platform: row["platform"], timeOffset: row["time_offset"], created: row.date("created")
        )
    }
}
