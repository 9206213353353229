import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// `/v1/campaign_groups`: named sets of campaigns shared with applications.
struct CampaignGroupRoutes {
    let store: any Store
    let configuration: APIConfiguration

    /// The SDK's `CampaignGroup`.
    struct GroupBody: Encodable, Sendable {
        var id: Int64
        var created: Date
        var modified: Date
        var accountId: Int64
        var name: String
        var description: String?
        var subscribedApplicationsIds: [Int64]
        var campaignIds: [Int64]

        init(_ group: CampaignGroup) {
            id = group.id
            created = group.created
            modified = group.modified
            accountId = group.accountId
            name = group.settings.name
            description = group.settings.description
            subscribedApplicationsIds = group.settings.subscribedApplicationsIds ?? []
            campaignIds = group.settings.campaignIds ?? []
        }
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/campaign_groups") { request, context in
            let settings = try await decode(request)
            let group = try await store.createCampaignGroup(
                accountId: context.managementCaller().accountId, settings: settings, now: Date().storagePrecision
            )
            return try WireCoding.response(GroupBody(group), status: .created)
        }
        routes.on(.get, "/v1/campaign_groups") { request, context in
            let page = try await store.campaignGroups(accountId: context.managementCaller().accountId,
                                                      page: request.pageRequest())
            return try WireCoding.response(Listing(totalResultSize: page.totalCount, data: page.items.map(GroupBody.init)))
        }
        routes.on(.get, "/v1/campaign_groups/:campaignGroupId") { _, context in
            let group = try await store.campaignGroup(id: context.id("campaignGroupId"),
                                                      accountId: context.managementCaller().accountId)
            return try WireCoding.response(GroupBody(group))
        }
        routes.on(.put, "/v1/campaign_groups/:campaignGroupId") { request, context in
            let settings = try await decode(request)
            let group = try await store.updateCampaignGroup(
                id: context.id("campaignGroupId"), accountId: context.managementCaller().accountId, settings: settings,
                now: Date().storagePrecision
            )
            return try WireCoding.response(GroupBody(group))
        }
        routes.on(.delete, "/v1/campaign_groups/:campaignGroupId") { _, context in
            try await store.deleteCampaignGroup(id: context.id("campaignGroupId"),
                                                accountId: context.managementCaller().accountId)
            return Response(status: .noContent)
        }
    }

    private func decode(_ request: Request) async throws -> CampaignGroupSettings {
        let settings = try await request.decodeJSON(CampaignGroupSettings.self, limit: configuration.maxBodySize)
        let issues = settings.validate()
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return settings
    }
}
