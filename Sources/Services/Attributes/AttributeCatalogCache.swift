import PromotionEngine
import Storage

/// Each account's attribute catalog, rebuilt when the account's attribute revision changes.
public actor AttributeCatalogCache {
    private let store: any Store
    private var cache: [Int64: (revision: Int64, catalog: AttributeCatalog)] = [:]

    public init(store: any Store) {
        self.store = store
    }

    public func catalog(accountId: Int64) async throws -> AttributeCatalog {
        let revision = try await store.attributeRevision(accountId: accountId)
        if let cached = cache[accountId], cached.revision == revision { return cached.catalog }
        let custom = try await store.attributes(accountId: accountId, entity: nil, page: PageRequest(pageSize: .max))
        let catalog = AttributeCatalog(custom: custom.items.map(\.definition))
        cache[accountId] = (revision, catalog)
        return catalog
    }
}
