import Foundation
import HTTPAPI
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `/applications/{id}/campaigns/{id}/try`: a dry evaluation of a cart against the campaign's draft ruleset,
/// through the session service the Integration API's `PUT /v2/customer_sessions/{id}?dry=true` uses; and
/// `…/simulate`: the last closed sessions replayed the same way against the draft and the active version.
struct TryItRoutes: Sendable {
    let store: any Store
    let campaigns: any CampaignCatalog

    func register(on pages: RouterGroup<SContoRequestContext>, maxBodySize: Int) {
        registerSimulate(on: pages)
        let path = RouterPath("/applications/:applicationId/campaigns/:campaignId/try")
        pages.get(path) { request, context in
            let (user, application) = try await Pages.application(request, context, store: store)
            let campaign = try await store.campaign(id: Pages.id(context, "campaignId"), applicationId: application.id)
            let draft = try await draftRuleset(campaign, application)
            return Pages.html(TryItPage.render(application, campaign: campaign, draftRulesetId: draft?.id,
                                               cart: .init(), result: nil, user: user))
        }
        pages.post(path) { request, context in
            let (user, application) = try await Pages.application(request, context, store: store)
            let campaign = try await store.campaign(id: Pages.id(context, "campaignId"), applicationId: application.id)
            var request = request
            let cart = TryItPage.Cart(form: try await Pages.form(&request, limit: maxBodySize))
            let draft = try await draftRuleset(campaign, application)
            func page(_ result: SessionUpdateResult?, issues: [ValidationIssue], status: HTTPResponse.Status) -> Response {
                Pages.html(TryItPage.render(application, campaign: campaign, draftRulesetId: draft?.id, cart: cart,
                                            result: result, user: user, issues: issues), status: status)
            }
            let update: SessionUpdate
            switch cart.update() {
            case .success(let value): update = value
            case .failure(let failure): return page(nil, issues: failure.issues, status: .badRequest)
            }
            let catalog = draftCatalog(campaign, draft, application)
            do {
                // A session id no integration uses, so the dry run starts from an empty session.
                let result = try await CustomerSessionService(store: store, campaigns: catalog).update(
                    application: application, sessionId: "campaign-manager-try-\(UUID().uuidString)", update: update,
                    dry: true, explainingRuleFailures: true
                )
                return page(result, issues: [], status: .ok)
            } catch let failure as ValidationFailure {
                return page(nil, issues: failure.issues, status: .badRequest)
            }
        }
    }

    private func registerSimulate(on pages: RouterGroup<SContoRequestContext>) {
        pages.get(RouterPath("/applications/:applicationId/campaigns/:campaignId/simulate")) { request, context in
            let (user, application) = try await Pages.application(request, context, store: store)
            let campaign = try await store.campaign(id: Pages.id(context, "campaignId"), applicationId: application.id)
            let draft = try await draftRuleset(campaign, application)
            let count = min(max(Pages.query(request, "sessions").flatMap(Int.init) ?? 50, 1), SimulatePage.maximumSessions)
            var results: SimulatePage.Results?
            if Pages.query(request, "run") != nil {
                var filter = SessionFilter()
                filter.state = .closed
                let sessions = try await store.sessions(
                    applicationId: application.id, filter: filter,
                    page: PageRequest(pageSize: count, sort: SortField(field: "id", descending: true))
                ).items
                func replay(_ catalog: any CampaignCatalog) async throws -> CampaignSimulation.Outcome {
                    try await CampaignSimulation.replay(sessions, application: application, campaignId: campaign.id,
                                                        store: store, catalog: catalog)
                }
                results = SimulatePage.Results(
                    given: CampaignSimulation.given(sessions, campaignId: campaign.id), active: try await replay(campaigns),
                    draft: try await replay(draftCatalog(campaign, draft, application))
                )
            }
            return Pages.html(SimulatePage.render(application, campaign: campaign, draftRulesetId: draft?.id, count: count,
                                                  results: results, user: user))
        }
    }

    /// The application's lineup with the campaign on its draft ruleset (as stored when it has none).
    private func draftCatalog(_ campaign: Campaign, _ draft: Ruleset?, _ application: PromotionEngine.Application)
        -> any CampaignCatalog
    {
        guard let draft else { return campaigns }
        return DraftCampaignCatalog(base: campaigns, draft: RunnableCampaign(campaign: campaign, ruleset: draft),
                                    cascading: application.settings.enableCascadingDiscounts ?? false)
    }

    /// The newest ruleset version: the one being drafted (the active one when nothing newer was saved).
    private func draftRuleset(_ campaign: Campaign, _ application: PromotionEngine.Application) async throws -> Ruleset? {
        try await store.rulesets(campaignId: campaign.id, applicationId: application.id, page: PageRequest(pageSize: 1000))
            .items.max { $0.id < $1.id }
    }
}
