import Foundation
import Hummingbird
import Services
import Storage

/// `POST /v1/sessions` (log in, unauthenticated), `DELETE /v1/sessions` (log out) and
/// `POST /v1/password_changes` (Sconto's own: change the logged-in user's password).
///
/// Passwords are checked on the ``PasswordWorker`` thread, an unknown email costs a full check against a
/// decoy, and failures are throttled per account and per client address (429 with `Retry-After`).
struct LoginRoutes {
    let store: any Store
    let configuration: APIConfiguration
    let passwords: PasswordWorker
    let throttle: LoginThrottle
    let allowlist: IPAllowlist

    init(store: any Store, configuration: APIConfiguration, allowlist: IPAllowlist) {
        self.store = store
        self.allowlist = allowlist
        self.configuration = configuration
        passwords = PasswordWorker.shared
        throttle = LoginThrottle(policy: configuration.loginThrottle)
    }

    struct LoginParams: Decodable {
        var email: String
        var password: String
    }

    struct PasswordChange: Decodable {
        var currentPassword: String
        var newPassword: String
    }

    struct SessionBody: Encodable, Sendable {
        var userId: Int64
        var token: String
        var created: Date
    }

    /// Passwords shorter than this are refused when changed.
    static let minimumPasswordLength = 12

    func registerLogin(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/sessions") { request, context in
            let params = try await request.decodeJSON(LoginParams.self, limit: configuration.maxBodySize)
            let user = try await checkPassword(params.password, email: params.email, context: context)
            let token = Secret.generate()
            let now = Date().storagePrecision
            try await store.createAuthSession(AuthSession(
                tokenHash: Secret.storageHash(token), userId: user.id, accountId: user.accountId, created: now,
                expires: configuration.loginExpiry(created: now, now: now)
            ))
            return try WireCoding.response(SessionBody(userId: user.id, token: token, created: now), status: .created)
        }
    }

    func registerLogout(on routes: RouteRegistrar) {
        routes.on(.delete, "/v1/sessions") { _, context in
            guard case .user(_, _, let tokenHash) = context.principal else {
                throw APIError(.badRequest, "only a login token (Bearer) can be logged out")
            }
            try await store.deleteAuthSession(tokenHash: tokenHash)
            return Response(status: .noContent)
        }
        routes.on(.post, "/v1/password_changes") { request, context in
            guard case .user(let userId, _, let tokenHash) = context.principal,
                  let user = try await store.user(id: userId)
            else { throw APIError.forbidden("only a logged-in user (Bearer) can change their password") }
            let change = try await request.decodeJSON(PasswordChange.self, limit: configuration.maxBodySize)
            guard change.newPassword.count >= Self.minimumPasswordLength else {
                throw APIError.badRequest(
                    pointer: "/newPassword", "must have at least \(Self.minimumPasswordLength) characters"
                )
            }
            _ = try await checkPassword(change.currentPassword, email: user.email, context: context)
            let hash: String
            do { hash = try await passwords.hash(change.newPassword) } catch is PasswordWorker.Busy { throw Self.busy }
            try await store.changePassword(userId: userId, passwordHash: hash, keepingTokenHash: tokenHash)
            return Response(status: .noContent)
        }
    }

    /// The user whose password this is; 401 otherwise, 429 while the account or the client must wait.
    private func checkPassword(_ password: String, email: String, context: SContoRequestContext) async throws -> User {
        let address = context.clientAddress ?? "unknown"
        if let wait = throttle.retryAfter(email: email, address: address, now: Date()) {
            throw APIError.tooManyRequests("too many failed logins; retry later", retryAfter: wait)
        }
        let user = try await store.user(email: email)
        let matches: Bool
        do {
            matches = try await passwords.verify(password, against: user?.passwordHash)
        } catch is PasswordWorker.Busy {
            throw Self.busy
        }
        guard let user, matches else {
            throttle.recordFailure(email: email, address: address, now: Date())
            throw APIError(.unauthorized, "wrong email or password")
        }
        throttle.recordSuccess(email: email)
        // No login token for a client its account does not admit: it could not use it anyway.
        try await allowlist.require(accountId: user.accountId, address: context.clientAddress)
        return user
    }

    private static let busy = APIError.tooManyRequests("too many logins in progress; retry shortly", retryAfter: 1)
}
