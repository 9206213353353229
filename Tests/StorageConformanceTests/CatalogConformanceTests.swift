import Foundation
import PromotionEngine
import Storage
import Testing

/// Catalogs on both backends: a sync applies all its actions or none, every new price is recorded, the hot path
/// reads only the named SKUs of the application's catalogs, and syncs from two nodes run one after the other.
@Suite struct CatalogConformanceTests {
    static func catalog(_ shop: Shop) async throws -> Catalog {
        try await shop.store.createCatalog(Catalog(
            id: 0, accountId: 1, name: "shoes", description: "", subscribedApplicationIds: [shop.applicationId],
            created: shop.now, createdBy: 1
        ))
    }

    static func add(_ sku: String, _ price: Decimal?, _ attributes: [String: JSONValue] = [:]) -> CatalogSyncAction {
        .add(CatalogItemChange(sku: sku, price: price, attributes: attributes), replaceIfExists: false)
    }

    @Test(arguments: Backends.all) func syncsApplyAllOrNothingAndRecordPrices(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let catalog = try await Self.catalog(shop)
        #expect(try await shop.store.catalogIds(applicationId: shop.applicationId) == [catalog.id])
        let t1 = shop.now, t2 = shop.now.addingTimeInterval(60)
        let synced = try await shop.store.syncCatalog(id: catalog.id, accountId: 1, actions: [
            Self.add("A", 10, ["color": .string("blue"), "size": .number(44)]),
            Self.add("B", 20, ["color": .string("red"), "size": .number(46)]),
        ], now: t1)
        #expect(synced.version == 2)
        // The second action fails (C is not there): the first one's price change is not applied either.
        await #expect(throws: ValidationIssue.self) {
            try await shop.store.syncCatalog(id: catalog.id, accountId: 1, actions: [
                .patch(CatalogItemChange(sku: "A", price: 5), createIfNotExists: false),
                .patch(CatalogItemChange(sku: "C", price: 5), createIfNotExists: false),
            ], now: t2)
        }
        _ = try await shop.store.syncCatalog(id: catalog.id, accountId: 1, actions: [
            .patchMany(filters: [CatalogFilter(attribute: "size", op: .greater, value: .string("45"))], price: 15,
                       attributes: ["sale": .bool(true)]),
        ], now: t2)
        let entries = try await shop.store.catalogItems(catalogIds: [catalog.id], skus: ["A", "B", "Z"])
        #expect(entries.map(\.sku).sorted() == ["A", "B"])
        let b = try #require(entries.first { $0.sku == "B" })
        #expect(b.price == 15 && b.attributes["sale"] == .bool(true) && b.attributes["color"] == .string("red"))
        #expect(entries.first { $0.sku == "A" }?.price == 10)
        let history = try await shop.store.priceObservations(applicationId: shop.applicationId, skus: ["B"], from: nil,
                                                             through: t2)
        #expect(history.map(\.price) == [20, 15])
        #expect(history.map(\.observedAt) == [t1, t2])
        #expect(try await shop.store.priceObservations(applicationId: shop.applicationId, skus: ["B"], from: t2,
                                                       through: t2).map(\.price) == [15])

        _ = try await shop.store.syncCatalog(id: catalog.id, accountId: 1, actions: [
            .removeMany(filters: [CatalogFilter(attribute: "color", op: .oneOf, value: .string("red,green"))]),
        ], now: t2)
        let (items, hasMore, total) = try await shop.store.catalogItems(
            catalogId: catalog.id, accountId: 1, filter: CatalogItemFilter(), page: PageRequest(), withTotal: true
        )
        #expect(items.map(\.sku) == ["A"] && !hasMore && total == 1)
        await #expect(throws: StoreError.notFound(entity: "catalog")) {
            try await shop.store.syncCatalog(id: catalog.id, accountId: 2, actions: [Self.add("X", 1)], now: t2)
        }
    }

    @Test(arguments: Backends.all) func syncsFromTwoNodesEachGetTheirOwnVersion(_ backend: any StoreBackend)
        async throws
    {
        let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
        let catalog = try await Self.catalog(shop)
        let versions = try await withThrowingTaskGroup(of: Int64.self) { group in
            for index in 0..<20 {
                let store = stores[index % stores.count]
                group.addTask {
                    try await store.syncCatalog(id: catalog.id, accountId: 1, actions: [
                        .patch(CatalogItemChange(sku: "SHARED", price: Decimal(index), attributes: ["n\(index)": .bool(true)]),
                               createIfNotExists: true),
                    ], now: shop.now).version
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(versions) == Set(2...21))
        // Every patch merged into the one item: none was lost to a concurrent sync.
        let item = try #require(try await shop.store.catalogItems(catalogIds: [catalog.id], skus: ["SHARED"]).first)
        #expect(item.attributes.count == 20)
        #expect(item.version == 21)
    }
}
