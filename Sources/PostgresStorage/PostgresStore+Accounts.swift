import Foundation
import Storage

extension PostgresStore: AccountStore {
    public func bootstrapAccount(adminEmail: String, adminName: String, passwordHash: String, now: Date) async throws
        -> Bool
    {
        try await write { db in
            // Nodes starting together on an empty database: one creates the account, the others wait and see it.
            try await db.execute("LOCK TABLE account IN EXCLUSIVE MODE")
            guard try await db.value(Int.self, "SELECT COUNT(*) FROM account") == 0 else { return false }
            try await db.execute("INSERT INTO account (id, name, created) VALUES (1, 'Sconto', ?)", [now])
            try await db.execute(
                "INSERT INTO app_user (account_id, email, name, password_hash, created) VALUES (1, ?, ?, ?, ?)",
                [adminEmail, adminName, passwordHash, now]
            )
            return true
        }
    }

    public func user(email: String) async throws -> User? {
        try await read { db in
            try await db.row("SELECT * FROM app_user WHERE lower(email) = lower(?)", [email]).map(Self.user(from:))
        }
    }

    public func user(id: Int64) async throws -> User? {
        try await read { db in try await db.row("SELECT * FROM app_user WHERE id = ?", [id]).map(Self.user(from:)) }
    }

    public func createAuthSession(_ session: AuthSession) async throws {
        try await write { db in
            // Each login purges the logins that expired, in the same transaction.
            try await db.execute("DELETE FROM auth_session WHERE expires <= ?", [session.created])
            try await db.execute("""
                INSERT INTO auth_session (token_hash, user_id, account_id, created, expires) VALUES (?, ?, ?, ?, ?)
                """, [session.tokenHash, session.userId, session.accountId, session.created, session.expires])
        }
    }

    public func authSession(tokenHash: String) async throws -> AuthSession? {
        try await read { db in
            try await db.row("SELECT * FROM auth_session WHERE token_hash = ?", [tokenHash]).map {
                AuthSession(
                    tokenHash: try $0["token_hash"], userId: try $0["user_id"], accountId: try $0["account_id"],
                    created: try $0.date("created"), expires: try $0.date("expires")
                )
            }
        }
    }

    public func deleteAuthSession(tokenHash: String) async throws {
        try await write { db in try await db.execute("DELETE FROM auth_session WHERE token_hash = ?", [tokenHash]) }
    }

    public func extendAuthSession(tokenHash: String, expires: Date) async throws {
        try await write { db in
            try await db.execute("UPDATE auth_session SET expires = ? WHERE token_hash = ?", [expires, tokenHash])
        }
    }

    public func changePassword(userId: Int64, passwordHash: String, keepingTokenHash: String) async throws {
        try await write { db in
            try await db.execute("UPDATE app_user SET password_hash = ? WHERE id = ?", [passwordHash, userId])
            try await db.execute("DELETE FROM auth_session WHERE user_id = ? AND token_hash != ?",
                                 [userId, keepingTokenHash])
        }
    }

    static func user(from row: Row) throws -> User {
        User(
            id: try row["id"], accountId: try row["account_id"], email: try row["email"], name: try row["name"],
            passwordHash: try row["password_hash"], created: try row.date("created")
        )
    }
}
