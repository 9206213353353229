import Foundation
import HTTPAPI
import Hummingbird
import PromotionEngine
import Storage

/// `/loyalty`: the same validation (`LoyaltyProgramSettings.validate`) and store call as `POST /v1/loyalty_programs`.
struct LoyaltyPageRoutes: Sendable {
    let store: any Store
    let maxBodySize: Int

    func register(on pages: RouterGroup<SContoRequestContext>) {
        pages.get("/loyalty") { request, context in
            try await list(Pages.user(request, context))
        }
        pages.post("/loyalty") { request, context in
            let user = try Pages.user(request, context)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            let applications = try await accountApplications(user)
            var settings = LoyaltyProgramSettings(
                name: form.text("name"), title: form.text("title"), description: form.text("description"),
                subscribedApplications: form.checkedApplications(applications),
                defaultValidity: form.text("defaultValidity"), defaultPending: form.text("defaultPending"),
                cardBased: form.isChecked("cardBased"), timezone: form.text("timezone")
            )
            settings.name = settings.name.trimmingCharacters(in: .whitespaces)
            let issues = settings.validate()
            guard issues.isEmpty else { return try await list(user, draft: form, issues: issues, status: .badRequest) }
            do {
                _ = try await store.createLoyaltyProgram(accountId: user.accountId, settings: settings,
                                                         now: Date().storagePrecision)
            } catch let failure as ValidationFailure {
                return try await list(user, draft: form, issues: failure.issues, status: .badRequest)
            } catch StoreError.conflict {
                let taken = ValidationIssue(pointer: "/name", message: "a loyalty program named \(settings.name) exists")
                return try await list(user, draft: form, issues: [taken], status: .conflict)
            }
            return Response.redirect(to: "/loyalty")
        }
    }

    private func accountApplications(_ user: ManagerLogin.User) async throws -> [PromotionEngine.Application] {
        try await store.applications(accountId: user.accountId, page: PageRequest(pageSize: 1000)).items
    }

    private func list(
        _ user: ManagerLogin.User, draft: FormData = FormData(encoded: ""), issues: [ValidationIssue] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let programs = try await store.loyaltyPrograms(accountId: user.accountId)
        return Pages.html(LoyaltyProgramsPage.list(programs, applications: try await accountApplications(user),
                                                   user: user, draft: draft, issues: issues), status: status)
    }
}
