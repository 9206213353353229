import Hummingbird
import PromotionEngine
import Storage

/// `/v1/accounts/current/ip_allowlist` (Sconto's own): the CIDR blocks allowed to call the APIs and the UI
/// for the caller's account; an empty list allows every address.
struct IPAllowlistRoutes {
    let store: any Store
    let configuration: APIConfiguration

    struct AllowlistBody: Codable, Sendable {
        var cidrs: [String]
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.get, "/v1/accounts/current/ip_allowlist") { _, context in
            let accountId = try context.managementCaller().accountId
            return try WireCoding.response(AllowlistBody(cidrs: try await store.ipAllowlist(accountId: accountId)))
        }
        routes.on(.put, "/v1/accounts/current/ip_allowlist") { request, context in
            let accountId = try context.managementCaller().accountId
            let body = try await request.decodeJSON(AllowlistBody.self, limit: configuration.maxBodySize)
            let blocks = try Self.check(body.cidrs, caller: context.clientAddress)
            let cidrs = blocks.map(\.description)
            try await store.setIPAllowlist(accountId: accountId, cidrs: cidrs)
            return try WireCoding.response(AllowlistBody(cidrs: cidrs))
        }
    }

    /// Every entry must be a CIDR block, and a non-empty list must admit the caller: a list that does not
    /// would lock out the user who sets it.
    static func check(_ cidrs: [String], caller: String?) throws -> [IPBlock] {
        var issues: [ValidationIssue] = []
        var blocks: [IPBlock] = []
        for (index, text) in cidrs.enumerated() {
            if let block = IPBlock(text) {
                blocks.append(block)
            } else {
                issues.append(.init(pointer: "/cidrs/\(index)", message: "'\(text)' is not an IPv4 or IPv6 CIDR block"))
            }
        }
        if issues.isEmpty, !blocks.isEmpty, !(caller.flatMap(IPAddress.init).map(blocks.contains) ?? false) {
            issues.append(.init(pointer: "/cidrs", message: """
                must contain your own address \(caller ?? "unknown"), or this change would lock you out
                """))
        }
        if !issues.isEmpty { throw ValidationFailure(issues) }
        return blocks
    }
}
