import Foundation
import Hummingbird
import Storage

/// `POST /v1/sessions` (log in, unauthenticated) and `DELETE /v1/sessions` (log out).
struct LoginRoutes {
    let store: any Store
    let configuration: APIConfiguration

    struct LoginParams: Decodable {
        var email: String
        var password: String
    }

    struct SessionBody: Encodable, Sendable {
        var userId: Int64
        var token: String
        var created: Date
    }

    func registerLogin(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/sessions") { request, _ in
            let params = try await request.decodeJSON(LoginParams.self, limit: configuration.maxBodySize)
            guard let user = try await store.user(email: params.email),
                  PasswordHasher.verify(params.password, against: user.passwordHash)
            else { throw APIError(.unauthorized, "wrong email or password") }
            let token = Secret.generate()
            let now = Date().storagePrecision
            try await store.createAuthSession(AuthSession(
                tokenHash: Secret.storageHash(token), userId: user.id, accountId: user.accountId, created: now,
                expires: now.addingTimeInterval(configuration.loginLifetime)
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
    }
}
