import Crypto
import Foundation
import Storage

/// Login for the Campaign Manager: the Management API's users, passwords and login tokens (the same
/// `AuthSession` rows `POST /v1/sessions` creates), carried in an HttpOnly cookie instead of a header.
struct ManagerLogin: Sendable {
    let store: any Store
    let lifetime: TimeInterval

    static let sessionCookie = "sconto_manager"
    /// Before login there is no session: the login form's CSRF token is double-submitted in this cookie.
    static let loginCookie = "sconto_login_csrf"

    struct User: Sendable {
        var userId: Int64
        var accountId: Int64
        var tokenHash: String
        /// Bound to the login token: a page from another site cannot read or derive it.
        var csrfToken: String
    }

    /// The login token for a correct email and password, nil otherwise.
    func logIn(email: String, password: String) async throws -> String? {
        guard let user = try await store.user(email: email), PasswordHasher.verify(password, against: user.passwordHash)
        else { return nil }
        let token = Secret.generate()
        let now = Date().storagePrecision
        try await store.createAuthSession(AuthSession(
            tokenHash: Secret.storageHash(token), userId: user.id, accountId: user.accountId, created: now,
            expires: now.addingTimeInterval(lifetime)
        ))
        return token
    }

    /// The user whose unexpired login token the cookie holds.
    func user(token: String) async throws -> User? {
        let hash = Secret.storageHash(token)
        guard let session = try await store.authSession(tokenHash: hash), session.expires > Date() else { return nil }
        return User(userId: session.userId, accountId: session.accountId, tokenHash: hash, csrfToken: Self.csrfToken(for: token))
    }

    func logOut(_ user: User) async throws {
        try await store.deleteAuthSession(tokenHash: user.tokenHash)
    }

    static func csrfToken(for token: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("csrf".utf8), using: SymmetricKey(data: Data(token.utf8)))
        return Data(mac).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Compares tokens in time independent of where they differ.
    static func matches(_ given: String?, _ expected: String) -> Bool {
        guard let given, given.utf8.count == expected.utf8.count else { return false }
        return zip(given.utf8, expected.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
