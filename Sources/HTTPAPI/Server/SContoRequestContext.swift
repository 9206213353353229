import Hummingbird
import Storage

/// Who is calling: a logged-in user, a management key, or an application's Integration API key.
public enum Principal: Sendable {
    case user(userId: Int64, accountId: Int64, tokenHash: String)
    case managementKey(ManagementKey)
    case integrationKey(IntegrationKey)

    public var accountId: Int64 {
        switch self {
        case .user(_, let accountId, _): accountId
        case .managementKey(let key): key.accountId
        case .integrationKey(let key): key.accountId
        }
    }
}

/// The request context: Hummingbird's core storage plus the authenticated ``Principal``.
public struct SContoRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    /// The client's IP address (for login throttling and the IP allowlist): the peer's, or the one a
    /// trusted proxy forwarded (``ClientAddressMiddleware``).
    public var clientAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The caller of a Management API endpoint: its account and the acting user (a key acts as its creator).
    func managementCaller() throws -> (accountId: Int64, userId: Int64) {
        switch principal {
        case .user(let userId, let accountId, _): return (accountId, userId)
        case .managementKey(let key): return (key.accountId, key.createdBy)
        case .integrationKey, .none: throw APIError.unauthorized
        }
    }

    /// The Integration API key of the caller; its application is the one the request acts on.
    func integrationKey() throws -> IntegrationKey {
        guard case .integrationKey(let key) = principal else { throw APIError.unauthorized }
        return key
    }
}
