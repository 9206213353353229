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
    /// Integration API keys by hash: the hot path reads the key store at most once per staleness window.
    let integrationKeys = FreshCache<String, IntegrationKey>()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
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
        if !key.allowedApplicationIds.isEmpty, let applicationId = context.parameters.get("applicationId"),
           !key.allowedApplicationIds.contains(where: { String($0) == applicationId })
        {
            throw APIError.forbidden("this management key may not access application \(applicationId)")
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
