import Foundation
import HTTPAPI
import Hummingbird
import PromotionEngine
import Storage

/// `/applications…`: list and create applications; an application's campaigns and Integration API keys.
struct ApplicationPageRoutes: Sendable {
    let store: any Store
    let maxBodySize: Int

    func register(on pages: RouterGroup<SContoRequestContext>) {
        pages.get("/applications") { request, context in
            let user = try Pages.user(request, context)
            let paging = Pages.paging(request, keeping: [])
            let found = try await store.applications(accountId: user.accountId, page: paging.request)
            return Pages.html(ApplicationsPage.render(found.items, paging: paging.links(found), user: user))
        }
        pages.post("/applications") { request, context in
            let user = try Pages.user(request, context)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            let settings = ApplicationSettings(
                name: form.text("name"), timezone: form.text("timezone"), currency: form.text("currency").uppercased()
            )
            let issues = settings.validate()
            guard issues.isEmpty else {
                return Pages.html(ApplicationsPage.render(try await applications(user), user: user, issues: issues,
                                                          draft: settings), status: .badRequest)
            }
            let application = try await store.createApplication(
                accountId: user.accountId, settings: settings, now: Date().storagePrecision
            )
            return Response.redirect(to: "/applications/\(application.id)")
        }
        pages.get("/applications/:applicationId") { request, context in
            let user = try Pages.user(request, context)
            return try await page(user, Pages.id(context, "applicationId"), paging: Pages.paging(request, keeping: []))
        }
        pages.get("/applications/:applicationId/settings") { request, context in
            let (user, application) = try await Pages.application(request, context, store: store)
            return Pages.html(ApplicationSettingsPage.render(application, settings: application.settings, user: user,
                                                             saved: Pages.query(request, "saved") != nil))
        }
        pages.post("/applications/:applicationId/settings") { request, context in
            let (user, application) = try await Pages.application(request, context, store: store)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            var settings = application.settings
            settings.name = form.text("name")
            settings.currency = form.text("currency").uppercased()
            settings.timezone = form.text("timezone")
            settings.caseSensitivity = CaseSensitivity(rawValue: form.text("caseSensitivity")) ?? .sensitive
            settings.enableCascadingDiscounts = form.isChecked("cascading")
            let issues = settings.validate()
            guard issues.isEmpty else {
                return Pages.html(ApplicationSettingsPage.render(application, settings: settings, user: user, issues: issues),
                                  status: .badRequest)
            }
            _ = try await store.updateApplication(id: application.id, accountId: user.accountId, settings: settings,
                                                  now: Date().storagePrecision)
            return Response.redirect(to: "/applications/\(application.id)/settings?saved=1")
        }
        pages.post("/applications/:applicationId/keys") { request, context in
            let user = try Pages.user(request, context)
            let application = try await store.application(id: Pages.id(context, "applicationId"), accountId: user.accountId)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            var issues: [ValidationIssue] = []
            if form.text("title").isEmpty { issues.append(.init(pointer: "/title", message: "must not be empty")) }
            guard let days = Int(form.text("days")), (1...3650).contains(days) else {
                issues.append(.init(pointer: "/expires", message: "valid for 1 to 3650 days"))
                return try await page(user, application.id, issues: issues, status: .badRequest)
            }
            guard issues.isEmpty else { return try await page(user, application.id, issues: issues, status: .badRequest) }
            let secret = Secret.generate()
            let now = Date().storagePrecision
            _ = try await store.createIntegrationKey(IntegrationKey(
                id: 0, accountId: user.accountId, applicationId: application.id, createdBy: user.userId,
                title: form.text("title"), keyHash: Secret.storageHash(secret),
                expires: now.addingTimeInterval(Double(days) * 86400), type: "", platform: nil, timeOffset: 0,
                created: now
            ))
            let host = request.head.authority ?? "localhost:8080"
            return try await page(user, application.id, newKey: .init(secret: secret, baseURL: "http://\(host)"),
                                  status: .created)
        }
    }

    private func applications(_ user: ManagerLogin.User) async throws -> [PromotionEngine.Application] {
        try await store.applications(accountId: user.accountId, page: PageRequest(pageSize: 1000)).items
    }

    private func page(
        _ user: ManagerLogin.User, _ applicationId: Int64, paging: Paging? = nil, newKey: ApplicationPage.NewKey? = nil,
        issues: [ValidationIssue] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let application = try await store.application(id: applicationId, accountId: user.accountId)
        let paging = paging ?? Paging(path: "/applications/\(application.id)")
        let campaigns = try await store.campaigns(applicationId: application.id, filter: CampaignFilter(), page: paging.request)
        let keys = try await store.integrationKeys(applicationId: application.id, page: PageRequest(pageSize: 1000)).items
        return Pages.html(ApplicationPage.render(application, campaigns: campaigns.items, campaignPages: paging.links(campaigns),
                                                 keys: keys, user: user, newKey: newKey, issues: issues), status: status)
    }
}
