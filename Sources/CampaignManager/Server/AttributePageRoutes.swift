import Foundation
import HTTPAPI
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `/attributes`: list the account's attributes and create custom ones through the Management API's service.
struct AttributePageRoutes: Sendable {
    let store: any Store
    let maxBodySize: Int

    func register(on pages: RouterGroup<SContoRequestContext>) {
        pages.get("/attributes") { request, context in
            let user = try Pages.user(request, context)
            return try await page(user, created: Pages.query(request, "created"))
        }
        pages.post("/attributes") { request, context in
            let user = try Pages.user(request, context)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            let draft = AttributesPage.Draft(
                entity: AttributeEntity(rawValue: form.text("entity")) ?? .customerProfile,
                type: AttributeType(rawValue: form.text("type")) ?? .string, name: form.text("name"),
                title: form.text("title"), description: form.text("description"), suggestions: form.text("suggestions")
            )
            let definition = AttributeDefinition(
                entity: draft.entity, name: draft.name, title: draft.title.isEmpty ? nil : draft.title, type: draft.type,
                description: draft.description,
                suggestions: draft.suggestions.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty },
                eventType: form.text("eventType").isEmpty ? nil : form.text("eventType")
            )
            do {
                _ = try await CustomAttributes.create(store: store, accountId: user.accountId, definition: definition,
                                                      now: Date().storagePrecision)
            } catch let failure as ValidationFailure {
                return try await page(user, draft: draft, status: .badRequest, issues: failure.issues)
            } catch StoreError.conflict {
                return try await page(user, draft: draft, status: .conflict, issues: [
                    .init(pointer: "/name", message: "\(draft.entity.rawValue) already has an attribute \(draft.name)"),
                ])
            }
            let name = draft.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return Response.redirect(to: "/attributes?created=\(name)")
        }
    }

    private func page(
        _ user: ManagerLogin.User, created: String? = nil, draft: AttributesPage.Draft = .init(),
        status: HTTPResponse.Status = .ok, issues: [ValidationIssue] = []
    ) async throws -> Response {
        let custom = try await store.attributes(accountId: user.accountId, entity: nil, page: PageRequest(pageSize: 1000))
        return Pages.html(AttributesPage.render(custom: custom.items, user: user, draft: draft, issues: issues,
                                                created: created), status: status)
    }
}
