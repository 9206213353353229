import Foundation
import HTTPAPI
import Hummingbird
import PromotionEngine
import Storage

/// `/collections…` (the account's) and `/applications/{id}/campaigns/{id}/collections…` (a campaign's): the
/// same store calls and checks as the Management API's collection routes (`CollectionFiles`).
struct CollectionPageRoutes: Sendable {
    let store: any Store
    let maxBodySize: Int

    /// The logged-in user, the collections' scope and where their pages are.
    typealias Target = @Sendable (Request, SContoRequestContext) async throws
        -> (ManagerLogin.User, CollectionScope, CollectionsPage.Place)

    func register(on pages: RouterGroup<SContoRequestContext>) {
        register(on: pages, base: "/collections") { request, context in
            let user = try Pages.user(request, context)
            let applications = try await store.applications(accountId: user.accountId, page: PageRequest(pageSize: 1000)).items
            return (user, .account, .init(base: "/collections", title: "Collections", applications: applications))
        }
        let campaignBase = "/applications/:applicationId/campaigns/:campaignId/collections"
        register(on: pages, base: campaignBase) { request, context in
            let (user, application) = try await Pages.application(request, context, store: store)
            let campaign = try await store.campaign(id: Pages.id(context, "campaignId"), applicationId: application.id)
            let campaignPath = "/applications/\(application.id)/campaigns/\(campaign.id)"
            return (user, .campaign(applicationId: application.id, campaignId: campaign.id),
                    .init(base: campaignPath + "/collections", title: "Collections of \(campaign.settings.name)",
                          back: (campaignPath, "← \(campaign.settings.name)")))
        }
    }

    private func register(on pages: RouterGroup<SContoRequestContext>, base: String, target: @escaping Target) {
        pages.get(RouterPath(base)) { request, context in
            let (user, scope, place) = try await target(request, context)
            return try await list(user, scope, place, paging: Pages.paging(request, keeping: []))
        }
        pages.post(RouterPath(base)) { request, context in
            let (user, scope, place) = try await target(request, context)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            if let problem = CollectionFiles.nameProblem(form["name"] ?? "") {
                return try await list(user, scope, place, paging: Paging(path: place.base), draft: form,
                                      issues: [.init(pointer: "/name", message: problem)], status: .badRequest)
            }
            var collection = ItemCollection(id: 0, accountId: user.accountId, name: form["name"] ?? "",
                                            createdBy: user.userId, created: Date().storagePrecision)
            collection.description = form.text("description").isEmpty ? nil : form.text("description")
            if case .campaign(let applicationId, let campaignId) = scope {
                (collection.applicationId, collection.campaignId) = (applicationId, campaignId)
            } else {
                // Only the account's applications are offered, so each id is valid as the API requires.
                collection.subscribedApplicationsIds = form.checkedApplications(place.applications ?? [])
            }
            do {
                let created = try await store.createCollection(collection)
                return Response.redirect(to: "\(place.base)/\(created.id)")
            } catch StoreError.conflict {
                return try await list(user, scope, place, paging: Paging(path: place.base), draft: form,
                                      issues: [.init(pointer: "/name", message: "a collection has this name already")],
                                      status: .conflict)
            }
        }
        pages.get(RouterPath(base + "/:collectionId")) { request, context in
            let (user, scope, place) = try await target(request, context)
            let collection = try await store.collection(id: Pages.id(context, "collectionId"), accountId: user.accountId,
                                                        scope: scope)
            return try await detail(user, collection, place, paging: Pages.paging(request, keeping: []),
                                    notice: Pages.query(request, "imported").map { "Imported \($0) items." })
        }
        pages.post(RouterPath(base + "/:collectionId/import")) { request, context in
            let (user, scope, place) = try await target(request, context)
            let collection = try await store.collection(id: Pages.id(context, "collectionId"), accountId: user.accountId,
                                                        scope: scope)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            let items: [String]
            do {
                items = try CollectionFiles.items(fromCSV: form["items"] ?? "")
            } catch let error as APIError {
                return try await detail(user, collection, place, paging: Paging(path: place.base),
                                        issues: [.init(pointer: "/items", message: error.message)], status: .badRequest)
            }
            let count = try await store.replaceCollectionItems(id: collection.id, items: items, modifiedBy: user.userId,
                                                               now: Date().storagePrecision)
            return Response.redirect(to: "\(place.base)/\(collection.id)?imported=\(count)")
        }
        pages.get(RouterPath(base + "/:collectionId/export")) { request, context in
            let (user, scope, _) = try await target(request, context)
            let collection = try await store.collection(id: Pages.id(context, "collectionId"), accountId: user.accountId,
                                                        scope: scope)
            return Response(status: .ok, headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"collection-\(collection.id).csv\"",
            ], body: CollectionFiles.export(store: store, collectionId: collection.id))
        }
    }

    private func list(
        _ user: ManagerLogin.User, _ scope: CollectionScope, _ place: CollectionsPage.Place, paging: Paging,
        draft: FormData = FormData(encoded: ""), issues: [ValidationIssue] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (collections, hasMore) = try await store.collections(accountId: user.accountId, scope: scope, name: nil,
                                                                 page: paging.request)
        return Pages.html(CollectionsPage.list(place, collections: collections, paging: paging, hasMore: hasMore,
                                               user: user, draft: draft, issues: issues), status: status)
    }

    private func detail(
        _ user: ManagerLogin.User, _ collection: ItemCollection, _ place: CollectionsPage.Place, paging: Paging,
        notice: String? = nil, issues: [ValidationIssue] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (items, hasMore) = try await store.collectionItems(id: collection.id, page: paging.request)
        return Pages.html(CollectionsPage.detail(place, collection: collection, items: items, paging: paging,
                                                 hasMore: hasMore, user: user, notice: notice, issues: issues),
                          status: status)
    }
}
