import Foundation
import HTTPAPI
import Hummingbird
import PromotionEngine
import Storage

/// `/applications/{id}/referrals…`: list and search an application's referral codes, create one for an advocate
/// and export them, through `ReferralCodes` (what the API's referral routes use).
struct ReferralPageRoutes: Sendable {
    let store: any Store
    let maxBodySize: Int

    func register(on pages: RouterGroup<SContoRequestContext>) {
        let base = "/applications/:applicationId/referrals"
        pages.get(RouterPath(base)) { request, context in
            let (user, application) = try await Pages.application(request, context, store: store)
            return try await page(user, application, request: request, created: Pages.query(request, "created"))
        }
        pages.post(RouterPath(base)) { request, context in
            let (user, application) = try await Pages.application(request, context, store: store)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            do {
                guard let id = Int64(form.text("campaignId")) else {
                    throw APIError.badRequest(pointer: "/campaignId", "choose a referral campaign")
                }
                let campaign = try await store.campaign(id: id, applicationId: application.id)
                let referral = try await ReferralCodes.create(store: store, application: application, campaign: campaign,
                                                              advocate: form.text("advocateProfileIntegrationId"),
                                                              friend: form.text("friendProfileIntegrationId"))
                let code = referral.code.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return Response.redirect(to: "/applications/\(application.id)/referrals?created=\(code)")
            } catch let error as APIError {
                return try await page(user, application, request: request, draft: form,
                                      issues: [.init(pointer: error.errors.first?.source.pointer ?? "/", message: error.errors.first?.title ?? error.message)],
                                      status: .badRequest)
            } catch StoreError.notFound {
                return try await page(user, application, request: request, draft: form,
                                      issues: [.init(pointer: "/campaignId", message: "no such campaign")], status: .badRequest)
            }
        }
        pages.get(RouterPath(base + "/export")) { request, context in
            let (_, application) = try await Pages.application(request, context, store: store)
            return Response(status: .ok, headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"referrals-application-\(application.id).csv\"",
            ], body: ReferralCodes.export(store: store, applicationId: application.id, filter: ReferralFilter()))
        }
    }

    private func page(
        _ user: ManagerLogin.User, _ application: PromotionEngine.Application, request: Request, created: String? = nil,
        draft: FormData = FormData(encoded: ""), issues: [ValidationIssue] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let search = ReferralsPage.Search(code: Pages.query(request, "code") ?? "",
                                          advocate: Pages.query(request, "advocate") ?? "")
        var filter = ReferralFilter()
        filter.code = search.code.isEmpty ? nil : search.code
        filter.advocate = search.advocate.isEmpty ? nil : search.advocate
        let paging = Pages.paging(request, keeping: ["code", "advocate"])
        let (referrals, hasMore) = try await store.referrals(applicationId: application.id, filter: filter,
                                                             page: paging.request)
        let campaigns = try await store.campaigns(applicationId: application.id, filter: CampaignFilter(),
                                                  page: PageRequest(pageSize: 1000)).items
        return Pages.html(ReferralsPage.render(
            application, referrals: referrals, campaigns: campaigns.filter { $0.settings.features.contains(.referrals) },
            search: search, paging: paging, hasMore: hasMore, user: user, created: created, draft: draft, issues: issues
        ), status: status)
    }
}
