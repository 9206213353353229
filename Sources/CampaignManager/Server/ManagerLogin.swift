import Crypto
import Foundation
import HTTPAPI
import Services
import Storage

/// Login for the Campaign Manager: the Management API's users, passwords and login tokens (the same
/// `AuthSession` rows `POST /v1/sessions` creates), carried in an HttpOnly cookie instead of a header.
struct ManagerLogin: Sendable {
    let store: any Store
    let lifetime: TimeInterval
    /// Failed logins, counted as the API's login counts them (per account and per client address, 429 past the
    /// limit), and passwords checked on the same bounded password thread, with a decoy for unknown emails.
    let throttle: LoginThrottle
    let allowlist: IPAllowlist
    let passwords = PasswordWorker.shared

    /// What a login attempt came to.
    enum Outcome: Sendable {
        case loggedIn(token: String)
        case refused
        /// Right password, but the client is outside the account's IP allowlist: no login token.
        case outsideAllowlist
        /// Too many failures (or too many logins in progress): wait this many seconds.
        case throttled(retryAfter: TimeInterval)
    }

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

    /// A login token for a correct email and password.
    func logIn(email: String, password: String, address: String) async throws -> Outcome {
        if let wait = throttle.retryAfter(email: email, address: address, now: Date()) { return .throttled(retryAfter: wait) }
        let user = try await store.user(email: email)
        let matches: Bool
        do {
            matches = try await passwords.verify(password, against: user?.passwordHash)
        } catch is PasswordWorker.Busy {
            return .throttled(retryAfter: 1)
        }
        guard let user, matches else {
            throttle.recordFailure(email: email, address: address, now: Date())
            return .refused
        }
        throttle.recordSuccess(email: email)
        guard try await allowlist.allows(accountId: user.accountId, address: address) else { return .outsideAllowlist }
        let token = Secret.generate()
        let now = Date().storagePrecision
        try await store.createAuthSession(AuthSession(
            tokenHash: Secret.storageHash(token), userId: user.id, accountId: user.accountId, created: now,
            expires: now.addingTimeInterval(lifetime)
        ))
        return .loggedIn(token: token)
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
