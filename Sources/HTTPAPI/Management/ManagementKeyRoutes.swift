import Foundation
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `/v1/management_keys`: keys for the Management API, scoped to endpoints and applications.
struct ManagementKeyRoutes {
    let store: any Store
    let configuration: APIConfiguration

    struct NewManagementKey: Decodable {
        var name: String
        var expiryDate: Date
        var endpoints: [ManagementKeyEndpoint]
        var allowedApplicationIds: [Int64]?
    }

    /// The SDK's `ManagementKey` (and, with `key`, `NewManagementKey`).
    struct ManagementKeyBody: Encodable, Sendable {
        var id: Int64
        var name: String
        var expiryDate: Date
        var endpoints: [ManagementKeyEndpoint]
        var allowedApplicationIds: [Int64]
        var createdBy: Int64
        var accountID: Int64
        var created: Date
        var disabled: Bool
        var lastUsed: Date?
        var key: String?

        init(_ key: ManagementKey, secret: String? = nil) {
            id = key.id
            name = key.name
            expiryDate = key.expiryDate
            endpoints = key.endpoints
            allowedApplicationIds = key.allowedApplicationIds
            createdBy = key.createdBy
            accountID = key.accountId
            created = key.created
            disabled = false
            lastUsed = key.lastUsed
            self.key = secret
        }
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/management_keys") { request, context in
            guard case .user(let userId, let accountId, _) = context.principal else {
                throw APIError.forbidden("management keys are created by a logged-in user")
            }
            let body = try await request.decodeJSON(NewManagementKey.self, limit: configuration.maxBodySize)
            let (key, secret) = try await ManagementKeys.create(
                store: store, accountId: accountId, userId: userId,
                request: .init(name: body.name, expiryDate: body.expiryDate, endpoints: body.endpoints,
                               allowedApplicationIds: body.allowedApplicationIds ?? [])
            )
            return try WireCoding.response(ManagementKeyBody(key, secret: secret), status: .created)
        }
        routes.on(.get, "/v1/management_keys") { request, context in
            let accountId = try context.managementCaller().accountId
            let page = try request.pageRequest()
            let keys = try await store.managementKeys(accountId: accountId)
            let slice = keys.dropFirst(page.skip).prefix(page.pageSize).map { ManagementKeyBody($0) }
            return try WireCoding.response(Listing(totalResultSize: keys.count, data: Array(slice)))
        }
        routes.on(.get, "/v1/management_keys/:keyId") { _, context in
            let accountId = try context.managementCaller().accountId
            let id = try context.id("keyId")
            guard let key = try await store.managementKeys(accountId: accountId).first(where: { $0.id == id }) else {
                throw APIError.notFound("management key")
            }
            return try WireCoding.response(ManagementKeyBody(key))
        }
        routes.on(.delete, "/v1/management_keys/:keyId") { _, context in
            try await store.deleteManagementKey(id: context.id("keyId"), accountId: context.managementCaller().accountId)
            return Response(status: .noContent)
        }
    }
}
