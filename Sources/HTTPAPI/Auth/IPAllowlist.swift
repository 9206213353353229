import Foundation
import Hummingbird
import Logging
import Storage

/// Each account's IP allowlist (CIDR blocks; empty allows all), cached like other configuration, and the
/// check every API request and Campaign Manager page of the account goes through.
public struct IPAllowlist: Sendable {
    let store: any Store
    private let cache = FreshCache<Int64, [IPBlock]>(capacity: 1_000)
    private let logger = Logger(label: "sconto.security")

    public init(store: any Store) {
        self.store = store
    }

    /// Whether `address` may act for the account; a refusal is logged.
    public func allows(accountId: Int64, address: String?) async throws -> Bool {
        let blocks = try await cache.value(for: accountId) {
            try await store.ipAllowlist(accountId: accountId).compactMap(IPBlock.init)
        } ?? []
        if blocks.isEmpty { return true }
        if let address, let parsed = IPAddress(address), blocks.contains(parsed) { return true }
        logger.warning("refused a request outside the account's IP allowlist", metadata: [
            "account": "\(accountId)", "address": "\(address ?? "unknown")",
        ])
        return false
    }

    /// Throws 403 when `address` may not act for the account.
    public func require(accountId: Int64, address: String?) async throws {
        guard try await allows(accountId: accountId, address: address) else {
            throw APIError.forbidden("this client address is not in the account's IP allowlist")
        }
    }
}

/// Refuses (403) an authenticated request from outside its account's IP allowlist.
struct IPAllowlistMiddleware: RouterMiddleware {
    typealias Context = SContoRequestContext
    let allowlist: IPAllowlist

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let principal = context.principal {
            try await allowlist.require(accountId: principal.accountId, address: context.clientAddress)
        }
        return try await next(request, context)
    }
}
