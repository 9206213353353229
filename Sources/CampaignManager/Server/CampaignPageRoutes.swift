import Foundation
import HTTPAPI
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `/applications/{id}/campaigns…`: create a campaign with the rule builder (and its live preview), show
/// one campaign, generate its coupons in the background with a live progress bar.
struct CampaignPageRoutes: Sendable {
    let store: any Store
    let jobs: CouponJobs
    let maxBodySize: Int

    struct Preview: Encodable {
        var rules: String
        var issues: [Issue]

        struct Issue: Encodable {
            var pointer: String
            var message: String
        }
    }

    func register(on pages: RouterGroup<SContoRequestContext>) {
        let campaigns = "/applications/:applicationId/campaigns"
        pages.get(RouterPath(campaigns + "/new")) { request, context in
            let (user, application) = try await target(request, context)
            var draft = CampaignEditorPage.Draft(builder: RuleBuilder(context: try await builderContext(user, application)))
            if case .success(let rule) = draft.builder.rule() { draft.rulesText = RulesText.encode([rule]) }
            return Pages.html(CampaignEditorPage.render(application, draft: draft, user: user))
        }
        pages.post(RouterPath(campaigns + "/preview")) { request, context in
            let (user, application) = try await target(request, context)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            let builder = RuleBuilder(form: form, context: try await builderContext(user, application))
            let text = form["mode"] == "generate" ? builder.rule().map { RulesText.encode([$0]) } : nil
            let rulesText = (try? text?.get()) ?? form["rules"] ?? ""
            let issues: [ValidationIssue] = switch (text, Self.checked(rulesText)) {
            case (.failure(let failure), _): failure.issues
            case (_, .failure(let failure)): failure.issues
            case (_, .success): []
            }
            let preview = Preview(rules: rulesText, issues: issues.map { .init(pointer: $0.pointer, message: $0.message) })
            return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(preview))))
        }
        pages.post(RouterPath(campaigns)) { request, context in
            let (user, application) = try await target(request, context)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            return try await create(form, application: application, user: user)
        }
        pages.get(RouterPath(campaigns + "/:campaignId")) { request, context in
            let (user, application) = try await target(request, context)
            let campaign = try await store.campaign(id: Pages.id(context, "campaignId"), applicationId: application.id)
            let notice = request.uri.queryParameters.get("generated").map { "Generated \($0) coupons." }
            var batch: CouponJobs.Progress?
            if let batchId = request.uri.queryParameters.get("batch") {
                batch = try await jobs.progress(String(batchId), applicationId: application.id, campaignId: campaign.id)
            }
            return try await page(user, application, campaign, notice: notice, batch: batch)
        }
        pages.get(RouterPath(campaigns + "/:campaignId/coupon_batches/:batchId")) { request, context in
            let (_, application) = try await target(request, context)
            let campaign = try await store.campaign(id: Pages.id(context, "campaignId"), applicationId: application.id)
            guard let progress = try await jobs.progress(context.parameters.get("batchId") ?? "", applicationId: application.id,
                                                     campaignId: campaign.id) else {
                throw HTTPError(.notFound)
            }
            return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(progress))))
        }
        pages.post(RouterPath(campaigns + "/:campaignId/coupons")) { request, context in
            let (user, application) = try await target(request, context)
            let campaign = try await store.campaign(id: Pages.id(context, "campaignId"), applicationId: application.id)
            var request = request
            let batch = CouponBatch(form: try await Pages.form(&request, limit: maxBodySize))
            guard batch.issues.isEmpty else {
                return try await page(user, application, campaign, issues: batch.issues, status: .badRequest)
            }
            let couponRequest = batch.request(campaignId: campaign.id)
            let batchId = couponRequest.template.batchId ?? ""
            try await jobs.start(couponRequest, application: application, batchId: batchId)
            return Response.redirect(to: "/applications/\(application.id)/campaigns/\(campaign.id)?batch=\(batchId)#coupons")
        }
    }

    /// Saves the campaign and its rules as the active ruleset, or shows the form again with every problem.
    private func create(_ form: FormData, application: PromotionEngine.Application, user: ManagerLogin.User) async throws -> Response {
        let builder = RuleBuilder(form: form, context: try await builderContext(user, application))
        var settings = CampaignSettings(
            name: form.text("name"), state: CampaignState(rawValue: form.text("state")) ?? .enabled,
            features: builder.features
        )
        // Without the script the text area may be empty: the builder's fields stand for the rules then.
        let rulesText = form.text("rules").isEmpty ? builder.rule().map { RulesText.encode([$0]) } : .success(form.text("rules"))
        var issues = settings.validate()
        var rules: [RuleDefinition] = []
        switch rulesText.flatMap(Self.checked) {
        case .success(let checked): rules = checked
        case .failure(let failure): issues += failure.issues
        }
        if rules.contains(where: Self.usesCoupons), !settings.features.contains(.coupons) {
            settings.features.append(.coupons)
        }
        guard issues.isEmpty else {
            let draft = CampaignEditorPage.Draft(name: settings.name, state: settings.state, builder: builder,
                                                 rulesText: (try? rulesText.get()) ?? form.text("rules"))
            return Pages.html(CampaignEditorPage.render(application, draft: draft, user: user, issues: issues),
                              status: .badRequest)
        }
        // The campaign and its active ruleset in one transaction (a campaign never exists without its rules).
        let (campaign, _) = try await store.createCampaign(
            applicationId: application.id, userId: user.userId, settings: settings, rules: rules, bindings: [],
            now: Date().storagePrecision
        )
        return Response.redirect(to: "/applications/\(application.id)/campaigns/\(campaign.id)")
    }

    /// The account's attribute registry and the application's time zone, for the builder's typed entries.
    private func builderContext(_ user: ManagerLogin.User, _ application: PromotionEngine.Application) async throws
        -> RuleBuilder.Context
    {
        let attributes = try await store.attributes(accountId: user.accountId, entity: nil, page: PageRequest(pageSize: 1000))
        return RuleBuilder.Context(attributes: attributes.items.map(\.definition),
                                   timeZone: TimeZone(identifier: application.settings.timezone) ?? TimeZone(identifier: "UTC")!)
    }

    /// The rules in the text, passed through the Management API's ruleset check.
    static func checked(_ text: String) -> Result<[RuleDefinition], ValidationFailureList> {
        RulesText.decode(text).flatMap { rules in
            let issues = RulesetCompiler.check(rules)
            return issues.isEmpty ? .success(rules) : .failure(ValidationFailureList(issues: issues))
        }
    }

    private static func usesCoupons(_ rule: RuleDefinition) -> Bool {
        func mentions(_ value: JSONValue) -> Bool {
            switch value {
            case .string(let name): name == "couponValid"
            case .array(let items): items.contains(where: mentions)
            default: false
            }
        }
        return mentions(rule.condition)
    }

    private func page(
        _ user: ManagerLogin.User, _ application: PromotionEngine.Application, _ campaign: Campaign, notice: String? = nil,
        batch: CouponJobs.Progress? = nil, issues: [ValidationIssue] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let versions = try await CampaignEditRoutes(store: store, maxBodySize: maxBodySize).versions(campaign, application)
        let rules = versions.first { $0.id == campaign.activeRulesetId }?.rules ?? []
        let filter = CouponFilter(campaignId: campaign.id)
        let coupons = try await store.coupons(applicationId: application.id, filter: filter, page: PageRequest(pageSize: 50)).coupons
        let count = try await store.countCoupons(applicationId: application.id, filter: filter)
        return Pages.html(CampaignPage.render(application, campaign: campaign, rules: rules, versions: versions, coupons: coupons,
                                              couponCount: count, user: user, notice: notice, batch: batch,
                                              issues: issues),
                          status: status)
    }

    private func target(_ request: Request, _ context: SContoRequestContext) async throws
        -> (ManagerLogin.User, PromotionEngine.Application)
    {
        try await Pages.application(request, context, store: store)
    }
}
