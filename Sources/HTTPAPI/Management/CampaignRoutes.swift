import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// `/v1/applications/{applicationId}/campaigns` and their ruleset versions.
struct CampaignRoutes {
    let store: any Store
    let configuration: APIConfiguration

    struct CampaignCopy: Decodable {
        var name: String?
        var applicationIds: [Int64]
        var description: String?
        var startTime: Date?
        var endTime: Date?
        var tags: [String]?
    }

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
            filter.createdBefore = try request.dateParameter("createdBefore")
            filter.createdAfter = try request.dateParameter("createdAfter")
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

        routes.on(.post, campaigns + "/:campaignId/copy") { request, context in
            let (application, userId) = try await caller(context)
            let body = try await request.decodeJSON(CampaignCopy.self, limit: configuration.maxBodySize)
            for (index, targetId) in body.applicationIds.enumerated() {
                try context.requireAccess(toApplication: targetId, pointer: "/applicationIds/\(index)")
            }
            let source = try await store.campaign(id: context.id("campaignId"), applicationId: application.id)
            var ruleset: Ruleset?
            if let activeId = source.activeRulesetId {
                ruleset = try await store.ruleset(id: activeId, campaignId: source.id, applicationId: application.id)
            }
            let accountId = try context.managementCaller().accountId
            var copies: [CampaignBody] = []
            for targetId in body.applicationIds {
                let target = try await store.application(id: targetId, accountId: accountId)
                var settings = source.settings
                settings.name = body.name ?? "Copy of \(source.settings.name)"
                settings.description = body.description ?? settings.description
                settings.startTime = body.startTime ?? settings.startTime
                settings.endTime = body.endTime ?? settings.endTime
                settings.tags = body.tags ?? settings.tags
                settings.state = .disabled  // a copy starts switched off, to be reviewed before it runs
                let now = Date().storagePrecision
                var copy = try await store.createCampaign(applicationId: target.id, userId: userId, settings: settings, now: now)
                if let ruleset {
                    let copied = try await store.createRuleset(
                        campaignId: copy.id, applicationId: target.id, userId: userId, rules: ruleset.rules,
                        bindings: ruleset.bindings, strikethroughRules: ruleset.strikethroughRules, activate: true, now: now
                    )
                    copy.activeRulesetId = copied.id
                }
                copies.append(CampaignBody(copy))
            }
            return try WireCoding.response(Listing(totalResultSize: copies.count, data: copies))
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
