import Foundation
import GRDB
import Storage

extension SQLiteStore: ConfigurationRevisionStore, AccountSecurityStore, LeaseStore {
    public func configurationRevision() async throws -> Int64 {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT revision FROM configuration_revision WHERE id = 1") ?? 0
        }
    }

    public func allApplicationIds() async throws -> [Int64] {
        try await pool.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM application ORDER BY id") }
    }

    public func ipAllowlist(accountId: Int64) async throws -> [String] {
        try await pool.read { db in
            guard let text = try String.fetchOne(db, sql: "SELECT ip_allowlist FROM account WHERE id = ?",
                                                 arguments: [accountId])
            else { return [] }
            return try Self.decodeJSON([String].self, from: text)
        }
    }

    public func setIPAllowlist(accountId: Int64, cidrs: [String]) async throws {
        let text = try Self.encodeJSON(cidrs)
        try await pool.write { db in
            try db.execute(sql: "UPDATE account SET ip_allowlist = ? WHERE id = ?", arguments: [text, accountId])
            guard db.changesCount == 1 else { throw StoreError.notFound(entity: "account") }
            db.afterNextTransaction { _ in ConfigurationChanges.record() }
        }
    }

    public func acquireLease(name: String, holder: String, now: Date, until: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO lease (name, holder, expires) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
                WHERE lease.holder = excluded.holder OR lease.expires <= ?
                """, arguments: [name, holder, until, now])
            return db.changesCount == 1
        }
    }
}
