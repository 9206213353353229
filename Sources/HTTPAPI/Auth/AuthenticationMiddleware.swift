import Foundation
import Hummingbird
import Storage

/// Resolves the `Authorization` header into a ``Principal``, for every route.
///
/// Credentials that are present but wrong, expired or revoked answer 401 at once; requests without
/// credentials pass on and the route group decides (see ``RequireManagementAccess``, ``RequireIntegrationKey``).
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = SContoRequestContext
    let store: any Store
    let configuration: APIConfiguration
    /// Integration API keys by hash: the hot path reads the key store at most once per staleness window.
    let integrationKeys = FreshCache<String, IntegrationKey>()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // `/metrics` checks its own scrape token (see HealthRoutes), which is no login.
        guard let header = request.headers[.authorization], request.uri.path != "/metrics" else {
            return try await next(request, context)
        }
        var context = context
        context.principal = try await principal(for: header)
        return try await next(request, context)
    }

    private func principal(for header: String) async throws -> Principal {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { throw APIError.unauthorized }
        let secretHash = Secret.storageHash(String(parts[1]).trimmingCharacters(in: .whitespaces))
        let now = Date()
        switch parts[0].lowercased() {
        case "bearer":
            guard let session = try await store.authSession(tokenHash: secretHash), session.expires > now else {
                throw APIError.unauthorized
            }
            // Use moves the idle deadline; written at most once a minute per token, not on every request.
            let expiry = configuration.loginExpiry(created: session.created, now: now)
            if expiry.timeIntervalSince(session.expires) > 60 {
                try await store.extendAuthSession(tokenHash: secretHash, expires: expiry.storagePrecision)
            }
            return .user(userId: session.userId, accountId: session.accountId, tokenHash: secretHash)
        case "managementkey-v1":
            guard let key = try await store.managementKey(keyHash: secretHash), key.expiryDate > now else {
                throw APIError.unauthorized
            }
            return .managementKey(key)
        case "apikey-v1":
            guard let key = try await integrationKeys.value(for: secretHash, load: {
                try await store.integrationKey(keyHash: secretHash)
            }), key.expires > now else {
                throw APIError.unauthorized
            }
            return .integrationKey(key)
        default:
            throw APIError.unauthorized
        }
    }
}

/// Admits logged-in users, and management keys within the endpoints and applications they were given.
struct RequireManagementAccess: RouterMiddleware {
    typealias Context = SContoRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        switch context.principal {
        case .user:
            break
        case .managementKey(let key):
            try authorize(key, request: request, context: context)
        case .integrationKey, .none:
            throw APIError.unauthorized
        }
        return try await next(request, context)
    }

    private func authorize(_ key: ManagementKey, request: Request, context: Context) throws {
        if !key.allowedApplicationIds.isEmpty {
            // A key limited to applications acts only inside them: account-wide routes (applications,
            // keys, attributes, campaign groups) would reach every application.
            guard let applicationId = context.parameters.get("applicationId") else {
                throw APIError.forbidden(
                    "this management key is limited to applications and may not call \(request.method) \(request.uri.path)"
                )
            }
            if !key.allowedApplicationIds.contains(where: { String($0) == applicationId }) {
                throw APIError.forbidden("this management key may not access application \(applicationId)")
            }
        }
        guard !key.endpoints.isEmpty else { return }
        let route = Self.shape(context.endpointPath ?? request.uri.path)
        let allowed = key.endpoints.contains { endpoint in
            (endpoint.method.map { $0.uppercased() == request.method.rawValue } ?? true) && Self.shape(endpoint.path) == route
        }
        if !allowed {
            throw APIError.forbidden("this management key may not call \(request.method) \(request.uri.path)")
        }
    }

    /// A path with its parameters blanked: `/v1/applications/:id` and `/v1/applications/{applicationId}` match.
    static func shape(_ path: String) -> [String] {
        path.split(separator: "/").map { $0.hasPrefix(":") || $0.hasPrefix("{") ? "*" : String($0) }
    }
}

extension SContoRequestContext {
    /// Refuses (403) an application named in a body or query that the caller's management key may not access.
    func requireAccess(toApplication applicationId: Int64, pointer: String) throws {
        guard case .managementKey(let key) = principal, !key.allowedApplicationIds.isEmpty,
              !key.allowedApplicationIds.contains(applicationId)
        else { return }
        throw APIError(.forbidden, "this management key may not access application \(applicationId)", errors: [
            .init(title: "forbidden application", details: "application \(applicationId)", source: .init(pointer: pointer))
        ])
    }
}

/// Admits only Integration API keys (`ApiKey-v1`).
struct RequireIntegrationKey: RouterMiddleware {
    typealias Context = SContoRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        _ = try context.integrationKey()
        return try await next(request, context)
    }
}
