import Foundation
import Storage

extension PostgresStore: CredentialStore {
    public func createManagementKey(_ key: ManagementKey) async throws -> ManagementKey {
        let endpoints = try StoredJSON.encode(key.endpoints)
        let applicationIds = try StoredJSON.encode(key.allowedApplicationIds)
        return try await write { db in
            var created = key
            created.id = try await db.value(Int64.self, """
                INSERT INTO management_key (account_id, created_by, name, key_hash, expiry_date, endpoints,
                    allowed_application_ids, created)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, [key.accountId, key.createdBy, key.name, key.keyHash, key.expiryDate, endpoints, applicationIds,
                      key.created]) ?? 0
            return created
        }
    }

    public func managementKeys(accountId: Int64) async throws -> [ManagementKey] {
        try await read { db in
            try await db.rows("SELECT * FROM management_key WHERE account_id = ? ORDER BY id", [accountId])
                .map(Self.managementKey(from:))
        }
    }

    public func managementKey(keyHash: String) async throws -> ManagementKey? {
        try await read { db in
            try await db.row("SELECT * FROM management_key WHERE key_hash = ?", [keyHash]).map(Self.managementKey(from:))
        }
    }

    public func deleteManagementKey(id: Int64, accountId: Int64) async throws {
        try await write { db in
            let deleted = try await db.changes("DELETE FROM management_key WHERE id = ? AND account_id = ? RETURNING 1",
                                               [id, accountId])
            if deleted == 0 { throw StoreError.notFound(entity: "management key") }
        }
    }

    public func createIntegrationKey(_ key: IntegrationKey) async throws -> IntegrationKey {
        try await write { db in
            var created = key
            created.id = try await db.value(Int64.self, """
                INSERT INTO integration_key (account_id, application_id, created_by, title, key_hash, expires,
                    type, platform, time_offset, created)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, [key.accountId, key.applicationId, key.createdBy, key.title, key.keyHash, key.expires, key.type,
                      key.platform, key.timeOffset, key.created]) ?? 0
            return created
        }
    }

    public func integrationKeys(applicationId: Int64, page: PageRequest) async throws -> Page<IntegrationKey> {
        let order = try listingOrder(
            page.sort, allowed: ["id": "id", "title": "title", "created": "created", "expires": "expires"],
            default: "id"
        )
        return try await read { db in
            let total = try await db.value(Int.self, "SELECT COUNT(*) FROM integration_key WHERE application_id = ?",
                                           [applicationId]) ?? 0
            let rows = try await db.rows(
                "SELECT * FROM integration_key WHERE application_id = ? \(order) LIMIT ? OFFSET ?",
                [applicationId, page.pageSize, page.skip]
            )
            return Page(items: try rows.map(Self.integrationKey(from:)), totalCount: total)
        }
    }

    public func integrationKey(keyHash: String) async throws -> IntegrationKey? {
        try await read { db in
            try await db.row("SELECT * FROM integration_key WHERE key_hash = ?", [keyHash])
                .map(Self.integrationKey(from:))
        }
    }

    public func deleteIntegrationKey(id: Int64, applicationId: Int64) async throws {
        try await write { db in
            let deleted = try await db.changes(
                "DELETE FROM integration_key WHERE id = ? AND application_id = ? RETURNING 1", [id, applicationId]
            )
            if deleted == 0 { throw StoreError.notFound(entity: "API key") }
            db.changesConfiguration = true
        }
    }

    static func managementKey(from row: Row) throws -> ManagementKey {
        ManagementKey(
            id: try row["id"], accountId: try row["account_id"], createdBy: try row["created_by"],
            name: try row["name"], keyHash: try row["key_hash"], expiryDate: try row.date("expiry_date"),
            endpoints: try StoredJSON.decode([ManagementKeyEndpoint].self, from: try row["endpoints"]),
            allowedApplicationIds: try StoredJSON.decode([Int64].self, from: try row["allowed_application_ids"]),
            created: try row.date("created"), lastUsed: try row.optionalDate("last_used")
        )
    }

    static func integrationKey(from row: Row) throws -> IntegrationKey {
        IntegrationKey(
            id: try row["id"], accountId: try row["account_id"], applicationId: try row["application_id"],
            createdBy: try row["created_by"], title: try row["title"], keyHash: try row["key_hash"],
            expires: try row.date("expires"), type: try row["type"], platform: try row["platform"],
            timeOffset: try row["time_offset"], created: try row.date("created")
        )
    }
}
