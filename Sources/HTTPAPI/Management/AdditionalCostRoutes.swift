import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// `/v1/additional_costs`: the account's additional cost definitions (shipping, packaging, …).
struct AdditionalCostRoutes {
    let store: any Store
    let configuration: APIConfiguration

    /// The SDK's `AccountAdditionalCost`.
    struct AdditionalCostBody: Encodable, Sendable {
        var id: Int64
        var created: Date
        var accountId: Int64
        var name: String
        var title: String
        var description: String
        var subscribedApplicationsIds: [Int64]
        var type: AdditionalCostScope

        init(_ cost: AccountAdditionalCost) {
            id = cost.id
            created = cost.created
            accountId = cost.accountId
            name = cost.settings.name
            title = cost.settings.title
            description = cost.settings.description
            subscribedApplicationsIds = cost.settings.subscribedApplicationsIds ?? []
            type = cost.settings.type ?? .session
        }
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/additional_costs") { request, context in
            let settings = try await decode(request)
            let cost = try await store.createAdditionalCost(
                accountId: context.managementCaller().accountId, settings: settings, now: Date().storagePrecision
            )
            return try WireCoding.response(AdditionalCostBody(cost), status: .created)
        }
        routes.on(.get, "/v1/additional_costs") { request, context in
            let page = try await store.additionalCosts(accountId: context.managementCaller().accountId,
                                                       page: request.pageRequest())
            return try WireCoding.response(Listing(totalResultSize: page.totalCount,
                                                   data: page.items.map(AdditionalCostBody.init)))
        }
        routes.on(.get, "/v1/additional_costs/:additionalCostId") { _, context in
            let cost = try await store.additionalCost(id: context.id("additionalCostId"),
                                                      accountId: context.managementCaller().accountId)
            return try WireCoding.response(AdditionalCostBody(cost))
        }
        routes.on(.put, "/v1/additional_costs/:additionalCostId") { request, context in
            let settings = try await decode(request)
            let cost = try await store.updateAdditionalCost(
                id: context.id("additionalCostId"), accountId: context.managementCaller().accountId, settings: settings
            )
            return try WireCoding.response(AdditionalCostBody(cost))
        }
    }

    private func decode(_ request: Request) async throws -> AdditionalCostSettings {
        let settings = try await request.decodeJSON(AdditionalCostSettings.self, limit: configuration.maxBodySize)
        let issues = settings.validate()
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return settings
    }
}
