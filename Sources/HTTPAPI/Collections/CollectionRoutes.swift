import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// Collections: the account's (`/v1/collections…`) and a campaign's
/// (`/v1/applications/{applicationId}/campaigns/{campaignId}/collections…`): create, read, change, delete, list,
/// items, CSV import (replaces the items) and export; `/v1/applications/{applicationId}/collections` lists what an
/// application's rules may use.
struct CollectionRoutes {
    let store: any Store
    let configuration: APIConfiguration
    /// Talon.One's limit per collection.
    static let maximumItems = 500_000

    struct NewCollection: Decodable {
        var name: String
        var description: String?
        var subscribedApplicationsIds: [Int64]?
    }

    struct CollectionUpdate: Decodable {
        var description: String?
        var subscribedApplicationsIds: [Int64]?
    }

    func register(on routes: RouteRegistrar) {
        register(on: routes, base: "/v1/collections") { context in (try context.managementCaller().accountId, .account) }
        register(on: routes, base: "/v1/applications/:applicationId/campaigns/:campaignId/collections") { context in
            let accountId = try context.managementCaller().accountId
            let application = try await store.application(id: context.id("applicationId"), accountId: accountId)
            let campaign = try await store.campaign(id: context.id("campaignId"), applicationId: application.id)
            return (accountId, .campaign(applicationId: application.id, campaignId: campaign.id))
        }
        routes.on(.get, "/v1/applications/:applicationId/collections") { request, context in
            let accountId = try context.managementCaller().accountId
            let application = try await store.application(id: context.id("applicationId"), accountId: accountId)
            return try await listing(request, accountId: accountId, scope: .application(application.id))
        }
        routes.on(.get, "/v1/collections/:collectionId/items") { request, context in
            let accountId = try context.managementCaller().accountId
            let id = try context.id("collectionId")
            // Items of the account's collections and of its campaigns' alike (the path names no campaign).
            _ = try await store.collection(id: id, accountId: accountId, scope: .anyOfAccount)
            let (items, hasMore) = try await store.collectionItems(id: id, page: request.pageRequest())
            return try WireCoding.response(ItemListing(hasMore: hasMore, data: items.map { ItemBody(item: $0) }))
        }
    }

    /// The five operations both kinds of collection have, under `base`.
    private func register(on routes: RouteRegistrar, base: String,
                          scope: @escaping @Sendable (SContoRequestContext) async throws -> (Int64, CollectionScope))
    {
        routes.on(.post, base) { request, context in
            let (accountId, scope) = try await scope(context)
            let body = try await request.decodeJSON(NewCollection.self, limit: configuration.maxBodySize)
            // The spec's pattern: no control characters, no leading white space.
            let name = body.name
            if let problem = CollectionFiles.nameProblem(name) { throw APIError.badRequest(pointer: "/name", problem) }
            var collection = ItemCollection(id: 0, accountId: accountId, name: name,
                                            createdBy: try context.managementCaller().userId,
                                            created: Date().storagePrecision)
            collection.description = body.description
            if case .campaign(let applicationId, let campaignId) = scope {
                (collection.applicationId, collection.campaignId) = (applicationId, campaignId)
            } else {
                collection.subscribedApplicationsIds = try await subscribed(body.subscribedApplicationsIds, accountId)
            }
            return try WireCoding.response(CollectionBody(try await store.createCollection(collection)), status: .created)
        }
        routes.on(.get, base) { request, context in
            let (accountId, scope) = try await scope(context)
            return try await listing(request, accountId: accountId, scope: scope)
        }
        routes.on(.get, base + "/:collectionId") { _, context in
            let (accountId, scope) = try await scope(context)
            let collection = try await store.collection(id: context.id("collectionId"), accountId: accountId, scope: scope)
            var body = CollectionBody(collection)
            body.payload = try await store.collectionItems(id: collection.id, page: PageRequest(pageSize: 50)).items
            return try WireCoding.response(body)
        }
        routes.on(.put, base + "/:collectionId") { request, context in
            let (accountId, scope) = try await scope(context)
            let body = try await request.decodeJSON(CollectionUpdate.self, limit: configuration.maxBodySize)
            var collection = try await store.collection(id: context.id("collectionId"), accountId: accountId, scope: scope)
            collection.description = body.description ?? collection.description
            if collection.campaignId == nil, let ids = body.subscribedApplicationsIds {
                collection.subscribedApplicationsIds = try await subscribed(ids, accountId)
            }
            collection.modifiedBy = try context.managementCaller().userId
            collection.modified = Date().storagePrecision
            return try WireCoding.response(CollectionBody(try await store.updateCollection(collection)))
        }
        routes.on(.delete, base + "/:collectionId") { _, context in
            let (accountId, scope) = try await scope(context)
            try await store.deleteCollection(id: context.id("collectionId"), accountId: accountId, scope: scope)
            return Response(status: .noContent)
        }
        routes.on(.post, base + "/:collectionId/import") { request, context in
            let (accountId, scope) = try await scope(context)
            let collection = try await store.collection(id: context.id("collectionId"), accountId: accountId, scope: scope)
            let items = try Self.items(fromCSV: try await request.uploadedCSV(maxBodySize: configuration.maxBodySize))
            let userId = try context.managementCaller().userId
            let count = try await store.replaceCollectionItems(id: collection.id, items: items, modifiedBy: userId,
                                                               now: Date().storagePrecision)
            return try WireCoding.response(CouponFileRoutes.ImportBody(
                id: collection.id, created: Date().storagePrecision, accountId: accountId, userId: userId,
                entity: "Collection", amount: count
            ))
        }
        routes.on(.get, base + "/:collectionId/export") { _, context in
            let (accountId, scope) = try await scope(context)
            let collection = try await store.collection(id: context.id("collectionId"), accountId: accountId, scope: scope)
            return Response(status: .ok, headers: [.contentType: "text/csv"],
                            body: CollectionFiles.export(store: store, collectionId: collection.id))
        }
    }

    private func listing(_ request: Request, accountId: Int64, scope: CollectionScope) async throws -> Response {
        let (found, hasMore) = try await store.collections(accountId: accountId, scope: scope,
                                                           name: request.uri.queryParameters.get("name"),
                                                           page: request.pageRequest())
        return try WireCoding.response(ListingWithoutTotal(hasMore: hasMore, data: found.map(CollectionBody.init)))
    }

    /// The applications an account collection is for: each must be the account's.
    private func subscribed(_ ids: [Int64]?, _ accountId: Int64) async throws -> [Int64] {
        for (index, id) in (ids ?? []).enumerated() {
            do {
                _ = try await store.application(id: id, accountId: accountId)
            } catch StoreError.notFound {
                throw APIError.badRequest(pointer: "/subscribedApplicationsIds/\(index)", "there is no application \(id)")
            }
        }
        return Array(Set(ids ?? [])).sorted()
    }

    /// The `item` column of an import; a file without it, or with too many items, is refused with its line.
    static func items(fromCSV text: String) throws -> [String] {
        let rows: [(line: Int, fields: [String])]
        do { rows = try CSV.parse(text) } catch let failure as CSV.Failure {
            throw APIError.badRequest(pointer: "/upFile", "line \(failure.line): \(failure.message)")
        }
        guard let header = rows.first, let column = header.fields.firstIndex(of: "item") else {
            throw APIError.badRequest(pointer: "/upFile", "line 1: the header needs an item column")
        }
        let items = rows.dropFirst().compactMap { row in row.fields.indices.contains(column) ? row.fields[column] : nil }
            .filter { !$0.isEmpty }
        guard items.count <= maximumItems else {
            throw APIError.badRequest(pointer: "/upFile", "a collection holds at most \(maximumItems) items")
        }
        return items
    }

    struct ItemBody: Encodable, Sendable { var item: String }

    struct ItemListing: Encodable, Sendable {
        var hasMore: Bool
        var data: [ItemBody]
    }
}

/// The SDK's `Collection`.
struct CollectionBody: Encodable, Sendable {
    var id: Int64
    var created: Date
    var accountId: Int64
    var modified: Date
    var description: String?
    var subscribedApplicationsIds: [Int64]?
    var name: String
    var modifiedBy: Int64?
    var createdBy: Int64
    var applicationId: Int64?
    var campaignId: Int64?
    var payload: [String]?

    init(_ collection: ItemCollection) {
        (id, created, accountId, modified, name) =
            (collection.id, collection.created, collection.accountId, collection.modified, collection.name)
        description = collection.description
        subscribedApplicationsIds = collection.campaignId == nil ? collection.subscribedApplicationsIds : nil
        (modifiedBy, createdBy, applicationId, campaignId) =
            (collection.modifiedBy, collection.createdBy, collection.applicationId, collection.campaignId)
    }
}
