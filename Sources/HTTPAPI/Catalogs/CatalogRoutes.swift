import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// Cart item catalogs: created with their applications (a Sconto extension — Talon.One creates them in its
/// Campaign Manager), synced by the shop (`syncCatalog`, Integration), listed (`listCatalogItems`), and the
/// prices they had (`priceHistory`, Management; `bestPriorPrice`, Integration).
struct CatalogRoutes {
    let store: any Store
    let configuration: APIConfiguration

    /// Sconto's `NewCatalog`.
    struct NewCatalog: Decodable {
        var name: String
        var description: String?
        var subscribedApplicationsIds: [Int64]?
    }

    struct PriceHistoryRequest: Decodable {
        var sku: String
        var startDate: Date
        var endDate: Date
    }

    struct BestPriorPriceRequest: Decodable {
        struct Target: Decodable {
            var targetType: String
        }

        var skus: [String]
        var timeframeEndDate: Date
        var timeframe: String
        /// The spec's window end; SDK 26.2 sends `strictEndDate` instead (true: strict, false: the current price's
        /// start), so either is taken.
        var timeframeEndDateType: String?
        var strictEndDate: Bool?
        var target: Target?
    }

    func registerManagement(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/catalogs") { request, context in
            let (accountId, userId) = try context.managementCaller()
            let body = try await request.decodeJSON(NewCatalog.self, limit: configuration.maxBodySize)
            try AccountEntityChecks.name(body.name)
            let applicationIds = body.subscribedApplicationsIds ?? []
            try await AccountEntityChecks.applications(applicationIds, accountId: accountId, store: store)
            let catalog = Catalog(id: 0, accountId: accountId, name: body.name, description: body.description ?? "",
                                  subscribedApplicationIds: applicationIds, created: Date().storagePrecision,
                                  createdBy: userId)
            return try WireCoding.response(CatalogBody(try await store.createCatalog(catalog)), status: .created)
        }
        routes.on(.get, "/v1/catalogs/:catalogId/items") { request, context in
            let accountId = try context.managementCaller().accountId
            let query = request.uri.queryParameters
            let filter = CatalogItemFilter(skus: query.getAll("sku").map { String($0) },
                                           productNames: query.getAll("productNames").map { String($0) })
            let withTotal = try bool(query.get("withTotalResultSize"), name: "withTotalResultSize", default: false)
            let (items, hasMore, total) = try await store.catalogItems(
                catalogId: try context.id("catalogId"), accountId: accountId, filter: filter,
                page: try request.pageRequest(), withTotal: withTotal
            )
            let attributes = try await store.attributes(accountId: accountId, entity: .cartItem, page: PageRequest())
            let ids = Dictionary(attributes.items.map { ($0.definition.name, $0.id) }, uniquingKeysWith: { first, _ in first })
            return try WireCoding.response(CatalogItemListing(
                hasMore: hasMore, totalResultSize: total, data: items.map { CatalogItemBody($0, attributeIds: ids) }
            ))
        }
        routes.on(.post, "/v1/applications/:applicationId/price_history") { request, context in
            let accountId = try context.managementCaller().accountId
            let application = try await store.application(id: try context.id("applicationId"), accountId: accountId)
            let body = try await request.decodeJSON(PriceHistoryRequest.self, limit: configuration.maxBodySize)
            guard !body.sku.isEmpty else { throw APIError.badRequest(pointer: "/sku", "must not be empty") }
            guard body.startDate <= body.endDate else {
                throw APIError.badRequest(pointer: "/endDate", "must not be before startDate")
            }
            let history = try await store.priceObservations(applicationId: application.id, skus: [body.sku],
                                                            from: body.startDate, through: body.endDate)
            return try WireCoding.response(PriceHistoryBody(
                sku: body.sku, history: history.map { PriceObservationBody($0, withSKU: false) }
            ))
        }
    }

    func registerIntegration(on routes: RouteRegistrar) {
        routes.on(.put, "/v1/catalogs/:catalogId/sync") { request, context in
            let key = try context.integrationKey()
            let body = try await request.decodeJSON(CatalogSyncBody.self, limit: configuration.maxBodySize)
            let actions = try body.typedActions()
            let catalog = try await store.syncCatalog(id: try context.id("catalogId"), accountId: key.accountId,
                                                      actions: actions, now: Date().storagePrecision)
            return try WireCoding.response(CatalogBody(catalog))
        }
        routes.on(.post, "/v1/best_prior_price") { request, context in
            let key = try context.integrationKey()
            let body = try await request.decodeJSON(BestPriorPriceRequest.self, limit: configuration.maxBodySize)
            let (days, windowEnd) = try Self.window(body)
            let skus = Array(Set(body.skus))
            let observations = try await store.priceObservations(applicationId: key.applicationId, skus: skus, from: nil,
                                                                 through: body.timeframeEndDate)
            let bySKU = Dictionary(grouping: observations, by: \.sku)
            let best = body.skus.uniqued().compactMap { sku in
                bySKU[sku].flatMap { BestPriorPrice.lowest($0, end: body.timeframeEndDate, days: days, windowEnd: windowEnd) }
            }
            return try WireCoding.response(best.map { PriceObservationBody($0, withSKU: true) })
        }
    }

    /// The look-back in days (`timeframe`, a number in a string) and where it ends; 400 naming the field.
    private static func window(_ body: BestPriorPriceRequest) throws -> (days: Int, end: BestPriorPrice.WindowEnd) {
        var issues: [ValidationIssue] = []
        if body.skus.isEmpty { issues.append(.init(pointer: "/skus", message: "must name at least one SKU")) }
        if body.skus.count > 1000 { issues.append(.init(pointer: "/skus", message: "must name at most 1000 SKUs")) }
        let days = Int(body.timeframe.trimmingCharacters(in: .whitespaces))
        if days == nil || !(1...3650).contains(days ?? 0) {
            issues.append(.init(pointer: "/timeframe", message: "must be a number of days from 1 to 3650"))
        }
        let end = body.timeframeEndDateType.flatMap(BestPriorPrice.WindowEnd.init(rawValue:))
            ?? body.strictEndDate.map { $0 ? .strict : .price }
        if end == nil {
            issues.append(.init(pointer: "/timeframeEndDateType", message: "must be strict, price or sale"))
        }
        if let target = body.target, target.targetType != "NONE" {
            issues.append(.init(pointer: "/target/targetType", message: "only NONE: Sconto records no audience prices"))
        }
        guard issues.isEmpty, let days, let end else { throw ValidationFailure(issues) }
        return (days, end)
    }
}

extension [String] {
    /// The strings in order, each once.
    func uniqued() -> [String] {
        var seen: Set<String> = []
        return filter { seen.insert($0).inserted }
    }
}
