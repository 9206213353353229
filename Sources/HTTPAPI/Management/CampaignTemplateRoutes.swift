import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// `/v1/campaign_templates` and `createCampaignFromTemplate`: the official way to create campaigns through the
/// SDK. Listing and creating campaigns follow Talon.One's spec; creating templates (`POST`) is Sconto's
/// extension, as Talon.One builds them in its UI.
struct CampaignTemplateRoutes {
    let store: any Store
    let configuration: APIConfiguration

    /// The SDK's `CampaignTemplate`.
    struct TemplateBody: Encodable, Sendable {
        var id: Int64
        var created: Date
        var updated: Date
        var accountId: Int64
        var userId: Int64
        var name: String
        var description: String
        var instructions: String
        var campaignAttributes: [String: JSONValue]
        var couponAttributes: [String: JSONValue]
        var state: CampaignTemplateState
        var tags: [String]
        var features: [CampaignFeature]
        var couponSettings: JSONValue?
        var referralSettings: JSONValue?
        var limits: [LimitConfig]
        var templateParams: [TemplateParameter]
        var applicationsIds: [Int64]
        /// The spec's `required` list names `applicationIds` beside the `applicationsIds` property it defines:
        /// both are written so the response validates (the spec wins over the SDK model, which has only the latter).
        var applicationIds: [Int64]
        var validApplicationIds: [Int64]
        var campaignType: String
        var reevaluateOnReturn = false
        /// Sconto's extension: the rules campaigns created from the template start with.
        var rules: [RuleDefinition]

        init(_ template: CampaignTemplate) {
            let settings = template.settings
            id = template.id
            created = template.created
            updated = template.updated
            accountId = template.accountId
            userId = template.userId
            name = settings.name
            description = settings.description
            instructions = settings.instructions
            campaignAttributes = settings.campaignAttributes ?? [:]
            couponAttributes = settings.couponAttributes ?? [:]
            state = settings.state
            tags = settings.tags ?? []
            features = settings.features ?? []
            couponSettings = settings.couponSettings
            referralSettings = settings.referralSettings
            limits = settings.limits ?? []
            templateParams = settings.templateParams ?? []
            applicationsIds = settings.applicationsIds ?? []
            applicationIds = applicationsIds
            validApplicationIds = applicationsIds
            campaignType = settings.campaignType ?? "advanced"
            rules = settings.rules ?? []
        }
    }

    /// The SDK's `CreateTemplateCampaign`.
    struct NewTemplateCampaign: Decodable {
        var name: String
        var description: String?
        var templateId: Int64
        var campaignAttributesOverrides: [String: JSONValue]?
        var templateParamValues: [ParameterValue]?
        var limitOverrides: [LimitConfig]?
        var campaignGroups: [Int64]?
        var tags: [String]?
        var evaluationGroupId: Int64?
        var linkedStoreIds: [Int64]?

        /// A `Binding`: the parameter's name and its value as a Talang expression (`[10]` for a literal).
        struct ParameterValue: Decodable {
            var name: String
            var type: String?
            var expression: [JSONValue]

            var value: JSONValue {
                if expression.first == .string("list") { return .array(Array(expression.dropFirst())) }
                return expression.count == 1 ? expression[0] : .array(expression)
            }
        }
    }

    /// `CreateTemplateCampaignResponse`.
    struct CreatedBody: Encodable, Sendable {
        var campaign: CampaignBody
        var ruleset: RulesetBody
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/campaign_templates") { request, context in
            let (accountId, userId) = try context.managementCaller()
            let settings = try await request.decodeJSON(CampaignTemplateSettings.self, limit: configuration.maxBodySize)
            let issues = settings.validate()
            guard issues.isEmpty else { throw ValidationFailure(issues) }
            let template = try await store.createCampaignTemplate(
                accountId: accountId, userId: userId, settings: settings, now: Date().storagePrecision
            )
            return try WireCoding.response(TemplateBody(template), status: .created)
        }
        routes.on(.get, "/v1/campaign_templates") { request, context in
            let (accountId, _) = try context.managementCaller()
            let query = request.uri.queryParameters
            var filter = CampaignTemplateFilter()
            if let state = query.get("state") {
                guard let parsed = CampaignTemplateState(rawValue: state) else {
                    throw APIError.badParameter("state", "must be one of draft, enabled, disabled")
                }
                filter.state = parsed
            }
            filter.name = query.get("name")
            filter.tags = query.get("tags").map { $0.split(separator: ",").map(String.init) } ?? []
            if let user = query.get("userId") {
                guard let id = Int64(user) else { throw APIError.badParameter("userId", "must be an integer") }
                filter.userId = id
            }
            let page = try request.pageRequest()
            let found = try await store.campaignTemplates(accountId: accountId, filter: filter, page: page)
            return try WireCoding.response(ListingWithoutTotal(
                hasMore: found.totalCount > page.skip + found.items.count, data: found.items.map(TemplateBody.init)
            ))
        }
        routes.on(.post, "/v1/applications/:applicationId/create_campaign_from_template") { request, context in
            let (accountId, userId) = try context.managementCaller()
            let application = try await store.application(id: context.id("applicationId"), accountId: accountId)
            let body = try await request.decodeJSON(NewTemplateCampaign.self, limit: configuration.maxBodySize)
            let template: CampaignTemplate
            do {
                template = try await store.campaignTemplate(id: body.templateId, accountId: accountId)
            } catch StoreError.notFound {
                throw APIError.badRequest(pointer: "/templateId", "there is no campaign template \(body.templateId)")
            }
            let (settings, rules) = try campaign(from: template, body, applicationId: application.id)
            let (campaign, ruleset) = try await store.createCampaign(
                applicationId: application.id, userId: userId, settings: settings, rules: rules,
                bindings: (body.templateParamValues ?? []).map { value in
                    .object(["name": .string(value.name), "type": .string(value.type ?? "templateParameter"),
                             "expression": .array(value.expression)])
                },
                now: Date().storagePrecision
            )
            return try WireCoding.response(CreatedBody(campaign: CampaignBody(campaign), ruleset: RulesetBody(ruleset)),
                                           status: .created)
        }
    }

    /// The campaign a template makes: its settings with the request's overrides, its rules with the values bound.
    private func campaign(from template: CampaignTemplate, _ body: NewTemplateCampaign, applicationId: Int64) throws
        -> (CampaignSettings, [RuleDefinition])
    {
        let source = template.settings
        guard source.state == .enabled else {
            throw APIError.badRequest(pointer: "/templateId", "the campaign template is \(source.state.rawValue), not enabled")
        }
        if let allowed = source.applicationsIds, !allowed.isEmpty, !allowed.contains(applicationId) {
            throw APIError.badRequest(pointer: "/templateId", "the campaign template is not available to this application")
        }
        var values: [String: JSONValue] = [:]
        for value in body.templateParamValues ?? [] { values[value.name] = value.value }
        let rules = try source.rules(binding: values)
        var settings = CampaignSettings(name: body.name, state: .enabled, tags: body.tags ?? source.tags ?? [],
                                        features: source.features ?? [], limits: source.limits ?? [])
        for override in body.limitOverrides ?? [] {
            settings.limits.removeAll { $0.action == override.action && $0.period == override.period
                && $0.entities == override.entities }
            settings.limits.append(override)
        }
        settings.description = body.description ?? source.description
        settings.attributes = (source.campaignAttributes ?? [:])
            .merging(body.campaignAttributesOverrides ?? [:]) { _, new in new }
        settings.couponSettings = source.couponSettings
        settings.referralSettings = source.referralSettings
        settings.campaignGroups = body.campaignGroups
        settings.type = source.campaignType
        let issues = settings.validate()
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return (settings, rules)
    }
}
