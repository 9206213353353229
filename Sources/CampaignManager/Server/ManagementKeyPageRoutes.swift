import Foundation
import HTTPAPI
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `/management_keys`: the account's Management API keys, through the service the API's route uses.
struct ManagementKeyPageRoutes: Sendable {
    let store: any Store
    let maxBodySize: Int

    func register(on pages: RouterGroup<SContoRequestContext>) {
        pages.get("/management_keys") { request, context in
            try await page(Pages.user(request, context))
        }
        pages.post("/management_keys") { request, context in
            let user = try Pages.user(request, context)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            let known = try await applications(user)
            let draft = ManagementKeysPage.Draft(
                name: form.text("name"), days: form.text("days"), endpoints: form.text("endpoints"),
                applicationIds: Set(known.map(\.id).filter { form.isChecked("application-\($0)") })
            )
            let endpoints = Self.endpoints(draft.endpoints)
            guard let days = Int(draft.days), (1...3650).contains(days) else {
                return try await page(user, draft: draft, status: .badRequest,
                                      issues: [.init(pointer: "/expiryDate", message: "valid for 1 to 3650 days")])
            }
            do {
                let (_, secret) = try await ManagementKeys.create(
                    store: store, accountId: user.accountId, userId: user.userId,
                    request: .init(name: draft.name, expiryDate: Date().addingTimeInterval(Double(days) * 86400),
                                   endpoints: endpoints, allowedApplicationIds: draft.applicationIds.sorted())
                )
                return try await page(user, newSecret: secret, status: .created)
            } catch let failure as ValidationFailure {
                return try await page(user, draft: draft, status: .badRequest, issues: failure.issues)
            }
        }
        pages.post("/management_keys/:keyId/revoke") { request, context in
            let user = try Pages.user(request, context)
            try await store.deleteManagementKey(id: Pages.id(context, "keyId"), accountId: user.accountId)
            return Response.redirect(to: "/management_keys")
        }
    }

    /// "METHOD /path" per line (the method may be left out: any method).
    static func endpoints(_ text: String) -> [ManagementKeyEndpoint] {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return lines.map { line in
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            return parts.count == 2
                ? ManagementKeyEndpoint(method: parts[0].uppercased(), path: parts[1].trimmingCharacters(in: .whitespaces))
                : ManagementKeyEndpoint(path: parts[0])
        }
    }

    private func applications(_ user: ManagerLogin.User) async throws -> [PromotionEngine.Application] {
        try await store.applications(accountId: user.accountId, page: PageRequest(pageSize: 1000)).items
    }

    private func page(
        _ user: ManagerLogin.User, draft: ManagementKeysPage.Draft = .init(), newSecret: String? = nil,
        status: HTTPResponse.Status = .ok, issues: [ValidationIssue] = []
    ) async throws -> Response {
        let keys = try await store.managementKeys(accountId: user.accountId)
        return Pages.html(ManagementKeysPage.render(keys: keys, applications: try await applications(user), user: user,
                                                    draft: draft, newSecret: newSecret, issues: issues), status: status)
    }
}
