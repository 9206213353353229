import Foundation
import HTTPAPI
import Hummingbird
import PromotionEngine
import Storage

/// `/applications/{id}/campaigns/{id}/edit`, `…/rules`, `…/rulesets…`: edit a campaign's settings, save ruleset
/// versions (checked like the API's), activate one, compare two.
struct CampaignEditRoutes: Sendable {
    let store: any Store
    let maxBodySize: Int

    func register(on pages: RouterGroup<SContoRequestContext>) {
        let path = "/applications/:applicationId/campaigns/:campaignId"
        pages.get(RouterPath(path + "/edit")) { request, context in
            let (user, application, campaign) = try await target(request, context)
            return try await settingsPage(user, application, campaign, settings: campaign.settings)
        }
        pages.post(RouterPath(path + "/edit")) { request, context in
            let (user, application, campaign) = try await target(request, context)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            let groups = try await store.campaignGroups(accountId: user.accountId, page: PageRequest(pageSize: 1000)).items
            var issues: [ValidationIssue] = []
            let settings = Self.settings(form, from: campaign.settings, groups: groups, issues: &issues)
            issues += settings.validate()
            guard issues.isEmpty else {
                return try await settingsPage(user, application, campaign, settings: settings, issues: issues,
                                              status: .badRequest)
            }
            _ = try await store.updateCampaign(id: campaign.id, applicationId: application.id, settings: settings,
                                               now: Date().storagePrecision)
            return Response.redirect(to: "/applications/\(application.id)/campaigns/\(campaign.id)")
        }
        pages.get(RouterPath(path + "/rules")) { request, context in
            let (user, application, campaign) = try await target(request, context)
            let newest = try await versions(campaign, application).first
            return Pages.html(RulesetVersionsPage.newVersion(application, campaign: campaign,
                                                             rulesText: RulesText.encode(newest?.rules ?? []), user: user))
        }
        pages.post(RouterPath(path + "/rulesets")) { request, context in
            let (user, application, campaign) = try await target(request, context)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            switch CampaignPageRoutes.checked(form.text("rules")) {
            case .failure(let failure):
                return Pages.html(RulesetVersionsPage.newVersion(application, campaign: campaign, rulesText: form.text("rules"),
                                                                 user: user, issues: failure.issues), status: .badRequest)
            case .success(let rules):
                _ = try await store.createRuleset(
                    campaignId: campaign.id, applicationId: application.id, userId: user.userId, rules: rules, bindings: [],
                    strikethroughRules: [], activate: form.isChecked("activate"), now: Date().storagePrecision
                )
                return Response.redirect(to: "/applications/\(application.id)/campaigns/\(campaign.id)#versions")
            }
        }
        pages.post(RouterPath(path + "/rulesets/:rulesetId/activate")) { request, context in
            let (_, application, campaign) = try await target(request, context)
            var settings = campaign.settings
            settings.activeRulesetId = try Pages.id(context, "rulesetId")
            _ = try await store.updateCampaign(id: campaign.id, applicationId: application.id, settings: settings,
                                               now: Date().storagePrecision)
            return Response.redirect(to: "/applications/\(application.id)/campaigns/\(campaign.id)#versions")
        }
        pages.get(RouterPath(path + "/rulesets/diff")) { request, context in
            let (user, application, campaign) = try await target(request, context)
            guard let from = Pages.query(request, "from").flatMap(Int64.init),
                  let to = Pages.query(request, "to").flatMap(Int64.init) else { throw HTTPError(.notFound) }
            let old = try await store.ruleset(id: from, campaignId: campaign.id, applicationId: application.id)
            let new = try await store.ruleset(id: to, campaignId: campaign.id, applicationId: application.id)
            return Pages.html(RulesetVersionsPage.diff(application, campaign: campaign, from: old, to: new, user: user))
        }
    }

    /// The campaign's ruleset versions, newest first.
    func versions(_ campaign: Campaign, _ application: PromotionEngine.Application) async throws -> [Ruleset] {
        try await store.rulesets(campaignId: campaign.id, applicationId: application.id, page: PageRequest(pageSize: 1000))
            .items.sorted { $0.id > $1.id }
    }

    /// The form's settings over the stored ones (limits the form does not show stay).
    static func settings(_ form: FormData, from stored: CampaignSettings, groups: [CampaignGroup],
                         issues: inout [ValidationIssue]) -> CampaignSettings
    {
        var settings = stored
        settings.activeRulesetId = nil  // unchanged
        settings.name = form.text("name")
        settings.description = form.text("description").isEmpty ? nil : form.text("description")
        settings.state = CampaignState(rawValue: form.text("state")) ?? stored.state
        for field in ["startTime", "endTime"] {
            let text = form.text(field)
            let date = text.isEmpty ? nil : LogPageRoutes.parse(text)
            if !text.isEmpty && date == nil { issues.append(.init(pointer: "/\(field)", message: "must be a date and time")) }
            if field == "startTime" { settings.startTime = date } else { settings.endTime = date }
        }
        settings.tags = form.text("tags").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        for budget in CampaignSettingsPage.budgets + CampaignSettingsPage.periodBudgets {
            settings.limits.removeAll(where: budget.matches)
            let text = form.text(budget.field)
            guard !text.isEmpty else { continue }
            guard let value = RuleBuilder.decimal(text), value >= 0 else {
                issues.append(.init(pointer: "/limits/\(budget.field)", message: "must be a number, at least 0"))
                continue
            }
            settings.limits.append(LimitConfig(action: budget.action, limit: value, period: budget.period,
                                               entities: budget.perProfile ? [.profile] : []))
        }
        settings.campaignGroups = groups.map(\.id).filter { form.isChecked("group-\($0)") }
        return settings
    }

    private func settingsPage(
        _ user: ManagerLogin.User, _ application: PromotionEngine.Application, _ campaign: Campaign,
        settings: CampaignSettings, issues: [ValidationIssue] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let groups = try await store.campaignGroups(accountId: user.accountId, page: PageRequest(pageSize: 1000)).items
        return Pages.html(CampaignSettingsPage.render(application, campaign: campaign, settings: settings, groups: groups,
                                                      user: user, issues: issues), status: status)
    }

    private func target(_ request: Request, _ context: SContoRequestContext) async throws
        -> (ManagerLogin.User, PromotionEngine.Application, Campaign)
    {
        let (user, application) = try await Pages.application(request, context, store: store)
        return (user, application, try await store.campaign(id: Pages.id(context, "campaignId"), applicationId: application.id))
    }
}
