import Foundation
import GRDB
import Storage

extension SQLiteStore: AccountStore {
    public func bootstrapAccount(adminEmail: String, adminName: String, passwordHash: String, now: Date) async throws
        -> Bool
    {
        try await pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account") == 0 else { return false }
            try db.execute(sql: "INSERT INTO account (id, name, created) VALUES (1, 'Sconto', ?)", arguments: [now])
            try db.execute(
                sql: "INSERT INTO user (account_id, email, name, password_hash, created) VALUES (1, ?, ?, ?, ?)",
                arguments: [adminEmail, adminName, passwordHash, now]
            )
            return true
        }
    }

    public func user(email: String) async throws -> User? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM user WHERE email = ?", arguments: [email]).map(Self.user(from:))
        }
    }

    public func user(id: Int64) async throws -> User? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ?", arguments: [id]).map(Self.user(from:))
        }
    }

    public func createAuthSession(_ session: AuthSession) async throws {
        try await pool.write { db in
            // Each login purges the logins that expired, in the same transaction.
            try db.execute(sql: "DELETE FROM auth_session WHERE expires <= ?", arguments: [session.created])
            try db.execute(
                sql: """
                    INSERT INTO auth_session (token_hash, user_id, account_id, created, expires)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [session.tokenHash, session.userId, session.accountId, session.created, session.expires]
            )
        }
    }

    public func authSession(tokenHash: String) async throws -> AuthSession? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM auth_session WHERE token_hash = ?", arguments: [tokenHash]).map {
                AuthSession(
                    tokenHash: $0["token_hash"], userId: $0["user_id"], accountId: $0["account_id"],
                    created: $0.date("created"), expires: $0.date("expires")
                )
            }
        }
    }

    public func deleteAuthSession(tokenHash: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM auth_session WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    public func extendAuthSession(tokenHash: String, expires: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE auth_session SET expires = ? WHERE token_hash = ?", arguments: [expires, tokenHash])
        }
    }

    public func changePassword(userId: Int64, passwordHash: String, keepingTokenHash: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE user SET password_hash = ? WHERE id = ?", arguments: [passwordHash, userId])
            try db.execute(
                sql: "DELETE FROM auth_session WHERE user_id = ? AND token_hash != ?", arguments: [userId, keepingTokenHash]
            )
        }
    }

    static func user(from row: Row) -> User {
        User(
            id: row["id"], accountId: row["account_id"], email: row["email"], name: row["name"],
            passwordHash: row["password_hash"], created: row.date("created")
        )
    }
}
