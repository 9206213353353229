import Foundation
import HTTPAPI
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `/webhooks…`: the same checks (`WebhookAddressPolicy.issues(saving:)`, SSRF guard included) and store calls as
/// the Management API's `/v1/webhooks` routes.
struct WebhookPageRoutes: Sendable {
    let store: any Store
    let policy: WebhookAddressPolicy
    let maxBodySize: Int

    func register(on pages: RouterGroup<SContoRequestContext>) {
        pages.get("/webhooks") { request, context in
            try await list(Pages.user(request, context), paging: Pages.paging(request, keeping: []))
        }
        pages.post("/webhooks") { request, context in
            let user = try Pages.user(request, context)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            let applications = try await accountApplications(user)
            let (settings, formIssues) = Self.settings(form, applications: applications)
            let issues = formIssues + policy.issues(saving: settings)
            guard issues.isEmpty else {
                return try await list(user, paging: Paging(path: "/webhooks"), draft: form, issues: issues, status: .badRequest)
            }
            let secret = Secret.generate()
            do {
                let webhook = try await store.createWebhook(accountId: user.accountId, settings: settings, secret: secret,
                                                            now: Date().storagePrecision)
                // Answered here, not redirected: the secret must not travel in a URL.
                return try await list(user, paging: Paging(path: "/webhooks"), created: (webhook.id, secret), status: .created)
            } catch let failure as ValidationFailure {
                return try await list(user, paging: Paging(path: "/webhooks"), draft: form, issues: failure.issues,
                                      status: .badRequest)
            }
        }
        pages.get("/webhooks/:webhookId") { request, context in
            let user = try Pages.user(request, context)
            let webhook = try await store.webhook(id: Pages.id(context, "webhookId"), accountId: user.accountId)
            let paging = Pages.paging(request, keeping: [])
            let page = try await store.webhookAttempts(webhookId: webhook.id, accountId: user.accountId, page: paging.request)
            return Pages.html(WebhooksPage.attempts(webhook, attempts: page.items, paging: paging,
                                                    hasMore: paging.request.skip + page.items.count < page.totalCount,
                                                    user: user))
        }
    }

    /// The form as a `NewWebhook`; parameters are "name, type" lines.
    static func settings(_ form: FormData, applications: [PromotionEngine.Application])
        -> (WebhookSettings, [ValidationIssue])
    {
        var issues: [ValidationIssue] = []
        var params: [WebhookParameter] = []
        for (index, line) in lines(form.text("params")).enumerated() {
            let parts = line.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let kind = WebhookParameter.Kind(rawValue: parts.count == 2 ? parts[1] : "") else {
                issues.append(.init(pointer: "/params/\(index)/type", message: "must be \"name, type\" with a known type"))
                continue
            }
            params.append(WebhookParameter(type: kind, title: parts[0]))
        }
        let settings = WebhookSettings(
            applicationIds: form.checkedApplications(applications), title: form.text("title"),
            verb: WebhookSettings.Verb(rawValue: form.text("verb")) ?? .POST, url: form.text("url"),
            headers: lines(form.text("headers")), payload: form.text("payload").isEmpty ? nil : form.text("payload"),
            params: params, enabled: form.isChecked("enabled")
        )
        return (settings, issues)
    }

    private static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private func accountApplications(_ user: ManagerLogin.User) async throws -> [PromotionEngine.Application] {
        try await store.applications(accountId: user.accountId, page: PageRequest(pageSize: 1000)).items
    }

    private func list(
        _ user: ManagerLogin.User, paging: Paging, created: (id: Int64, secret: String)? = nil,
        draft: FormData = FormData(encoded: ""), issues: [ValidationIssue] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let page = try await store.webhooks(accountId: user.accountId, applicationId: nil, title: nil, page: paging.request)
        return Pages.html(WebhooksPage.list(page.items, paging: paging,
                                            hasMore: paging.request.skip + page.items.count < page.totalCount,
                                            applications: try await accountApplications(user), user: user,
                                            created: created, draft: draft, issues: issues), status: status)
    }
}
