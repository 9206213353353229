import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// `/v1/applications/{applicationId}/api_keys`: the Integration API keys of an application.
struct IntegrationKeyRoutes {
    let store: any Store
    let configuration: APIConfiguration

    struct NewApplicationAPIKey: Decodable {
        var title: String
        var expires: Date
        var platform: String?
        var type: String?
        var timeOffset: Int64?
    }

    /// The SDK's `ApplicationAPIKey` (and, with `key`, `NewApplicationAPIKey`).
    struct APIKeyBody: Encodable, Sendable {
        var id: Int64
        var title: String
        var expires: Date
        var platform: String?
        /// `staging` or absent: the SDK's enum has no value for production keys.
        var type: String?
        var timeOffset: Int64
        var createdBy: Int64
        var accountID: Int64
        var applicationID: Int64
        var created: Date
        var key: String?

        init(_ key: IntegrationKey, secret: String? = nil) {
            id = key.id
            title = key.title
            expires = key.expires
            platform = key.platform
            type = key.isStaging ? "staging" : nil
            timeOffset = key.timeOffset
            createdBy = key.createdBy
            accountID = key.accountId
            applicationID = key.applicationId
            created = key.created
            self.key = secret
        }
    }

    func register(on routes: RouteRegistrar) {
        let path = "/v1/applications/:applicationId/api_keys"
        routes.on(.post, path) { request, context in
            let (accountId, userId) = try context.managementCaller()
            let application = try await store.application(id: context.id("applicationId"), accountId: accountId)
            let body = try await request.decodeJSON(NewApplicationAPIKey.self, limit: configuration.maxBodySize)
            var issues: [ValidationIssue] = []
            if body.title.trimmingCharacters(in: .whitespaces).isEmpty {
                issues.append(.init(pointer: "/title", message: "must not be empty"))
            }
            if body.expires <= Date() {
                issues.append(.init(pointer: "/expires", message: "must be in the future"))
            }
            if let type = body.type, !["", "staging"].contains(type) {
                issues.append(.init(pointer: "/type", message: "must be \"\" or \"staging\""))
            }
            if !issues.isEmpty { throw ValidationFailure(issues) }
            let secret = Secret.generate()
            let key = try await store.createIntegrationKey(IntegrationKey(
                id: 0, accountId: accountId, applicationId: application.id, createdBy: userId, title: body.title,
                keyHash: Secret.storageHash(secret), expires: body.expires.storagePrecision, type: body.type ?? "",
                platform: body.platform, timeOffset: body.timeOffset ?? 0, created: Date().storagePrecision
            ))
            return try WireCoding.response(APIKeyBody(key, secret: secret), status: .created)
        }
        routes.on(.get, path) { request, context in
            let application = try await store.application(
                id: context.id("applicationId"), accountId: context.managementCaller().accountId
            )
            let page = try await store.integrationKeys(applicationId: application.id, page: request.pageRequest())
            return try WireCoding.response(Listing(
                totalResultSize: page.totalCount, data: page.items.map { APIKeyBody($0) }
            ))
        }
        routes.on(.delete, path + "/:apiKeyId") { _, context in
            let application = try await store.application(
                id: context.id("applicationId"), accountId: context.managementCaller().accountId
            )
            try await store.deleteIntegrationKey(id: context.id("apiKeyId"), applicationId: application.id)
            return Response(status: .noContent)
        }
    }
}
