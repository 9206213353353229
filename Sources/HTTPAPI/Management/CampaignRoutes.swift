import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// `/v1/applications/{applicationId}/campaigns` and their ruleset versions.
struct CampaignRoutes {
    let store: any Store
    let configuration: APIConfiguration

    struct NewRuleset: Decodable {
        var rules: [RuleDefinition]
        var bindings: [JSONValue]?
        var strikethroughRules: [RuleDefinition]?
        var activate: Bool?
    }

    func register(on routes: RouteRegistrar) {
        let campaigns = "/v1/applications/:applicationId/campaigns"
        routes.on(.post, campaigns) { request, context in
            let (application, userId) = try await caller(context)
            let settings = try await decodeSettings(request)
            let campaign = try await store.createCampaign(
                applicationId: application.id, userId: userId, settings: settings, now: Date().storagePrecision
            )
            return try WireCoding.response(CampaignBody(campaign), status: .created)
        }
        routes.on(.get, campaigns) { request, context in
            let (application, _) = try await caller(context)
            let query = request.uri.queryParameters
            var filter = CampaignFilter()
            if let state = query.get("campaignState") {
                guard let value = CampaignState(rawValue: state) else {
                    throw APIError.badParameter("campaignState", "must be enabled, disabled or archived")
                }
                filter.state = value
            }
            filter.name = query.get("name")
            filter.tags = query.get("tags").map { $0.split(separator: ",").map(String.init) } ?? []
            let page = try await store.campaigns(applicationId: application.id, filter: filter, page: request.pageRequest())
            return try WireCoding.response(Listing(totalResultSize: page.totalCount, data: page.items.map { CampaignBody($0) }))
        }
        routes.on(.get, campaigns + "/:campaignId") { _, context in
            let (application, _) = try await caller(context)
            let campaign = try await store.campaign(id: context.id("campaignId"), applicationId: application.id)
            return try WireCoding.response(CampaignBody(campaign))
        }
        routes.on(.put, campaigns + "/:campaignId") { request, context in
            let (application, _) = try await caller(context)
            let settings = try await decodeSettings(request)
            let campaign = try await store.updateCampaign(
                id: context.id("campaignId"), applicationId: application.id, settings: settings,
                now: Date().storagePrecision
            )
            return try WireCoding.response(CampaignBody(campaign))
        }
        routes.on(.delete, campaigns + "/:campaignId") { _, context in
            let (application, _) = try await caller(context)
            try await store.deleteCampaign(id: context.id("campaignId"), applicationId: application.id)
            return Response(status: .noContent)
        }

        let rulesets = campaigns + "/:campaignId/rulesets"
        routes.on(.post, rulesets) { request, context in
            let (application, userId) = try await caller(context)
            let body = try await request.decodeJSON(NewRuleset.self, limit: configuration.maxBodySize)
            // Every expression is checked before anything is saved: a bad rule is refused with its path.
            let issues = RulesetCompiler.check(body.rules)
                + RulesetCompiler.check(body.strikethroughRules ?? [], at: "/strikethroughRules")
            guard issues.isEmpty else { throw ValidationFailure(issues) }
            let ruleset = try await store.createRuleset(
                campaignId: context.id("campaignId"), applicationId: application.id, userId: userId, rules: body.rules,
                bindings: body.bindings ?? [], strikethroughRules: body.strikethroughRules ?? [],
                activate: body.activate ?? false, now: Date().storagePrecision
            )
            return try WireCoding.response(RulesetBody(ruleset), status: .created)
        }
        routes.on(.get, rulesets) { request, context in
            let (application, _) = try await caller(context)
            let page = try await store.rulesets(
                campaignId: context.id("campaignId"), applicationId: application.id, page: request.pageRequest()
            )
            return try WireCoding.response(Listing(totalResultSize: page.totalCount, data: page.items.map(RulesetBody.init)))
        }
        routes.on(.get, rulesets + "/:rulesetId") { _, context in
            let (application, _) = try await caller(context)
            let ruleset = try await store.ruleset(
                id: context.id("rulesetId"), campaignId: context.id("campaignId"), applicationId: application.id
            )
            return try WireCoding.response(RulesetBody(ruleset))
        }
    }

    private func caller(_ context: SContoRequestContext) async throws -> (PromotionEngine.Application, Int64) {
        let (accountId, userId) = try context.managementCaller()
        return (try await store.application(id: context.id("applicationId"), accountId: accountId), userId)
    }

    private func decodeSettings(_ request: Request) async throws -> CampaignSettings {
        let settings = try await request.decodeJSON(CampaignSettings.self, limit: configuration.maxBodySize)
        let issues = settings.validate()
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return settings
    }
}
