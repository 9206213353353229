import Foundation
import HTTPAPI
import Hummingbird
import PromotionEngine
import Storage

/// `/audiences…`: the account's audiences, as the Management API lists them (`/v1/audiences`, member counts
/// from `/v1/audiences/analytics`), created as the Integration API creates them (`POST /v2/audiences`).
struct AudiencePageRoutes: Sendable {
    let store: any Store
    let maxBodySize: Int

    func register(on pages: RouterGroup<SContoRequestContext>) {
        pages.get("/audiences") { request, context in
            try await list(Pages.user(request, context), paging: Pages.paging(request, keeping: []))
        }
        pages.post("/audiences") { request, context in
            let user = try Pages.user(request, context)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            let draft = (name: form.text("name"), description: form.text("description"))
            // The API's rule for names (AudienceRoutes.checkName).
            guard !draft.name.isEmpty, draft.name.count <= 1000 else {
                return try await list(user, paging: Paging(path: "/audiences"), draft: draft, status: .badRequest,
                                      issues: [.init(pointer: "/name", message: "must be 1 to 1000 characters")])
            }
            var audience = Audience(id: 0, accountId: user.accountId, name: draft.name, created: Date().storagePrecision)
            audience.description = draft.description.isEmpty ? nil : draft.description
            let created = try await store.createAudience(audience)
            return Response.redirect(to: "/audiences/\(created.id)")
        }
        pages.get("/audiences/:audienceId") { request, context in
            let user = try Pages.user(request, context)
            let audience = try await store.audience(id: Pages.id(context, "audienceId"), accountId: user.accountId)
            let paging = Pages.paging(request, keeping: [])
            let (members, hasMore) = try await store.audienceMembers(audienceId: audience.id, accountId: user.accountId,
                                                                     page: paging.request)
            let count = try await store.audienceMemberCounts(accountId: user.accountId)[audience.id] ?? 0
            return Pages.html(AudiencesPage.members(audience, members: members, count: count, paging: paging,
                                                    hasMore: hasMore, user: user))
        }
    }

    private func list(
        _ user: ManagerLogin.User, paging: Paging, draft: (name: String, description: String) = ("", ""),
        status: HTTPResponse.Status = .ok, issues: [ValidationIssue] = []
    ) async throws -> Response {
        let (audiences, hasMore) = try await store.audiences(accountId: user.accountId, page: paging.request)
        let counts = try await store.audienceMemberCounts(accountId: user.accountId)
        return Pages.html(AudiencesPage.list(audiences, counts: counts, paging: paging, hasMore: hasMore, user: user,
                                             draft: draft, issues: issues), status: status)
    }
}
