import PromotionEngine
import Storage

/// Each account's attribute catalog, rebuilt when the account's attribute revision changes.
public actor AttributeCatalogCache {
    private let store: any Store
    private var cache: [Int64: (revision: Int64, catalog: AttributeCatalog, freshness: CacheFreshness)] = [:]

    public init(store: any Store) {
        self.store = store
    }

    public func catalog(accountId: Int64) async throws -> AttributeCatalog {
        if let cached = cache[accountId], !cached.freshness.needsCheck { return cached.catalog }
        let revision = try await store.attributeRevision(accountId: accountId)
        var freshness = CacheFreshness()
        freshness.markChecked()
        if let cached = cache[accountId], cached.revision == revision {
            cache[accountId] = (revision, cached.catalog, freshness)
            return cached.catalog
        }
        let custom = try await store.attributes(accountId: accountId, entity: nil, page: PageRequest(pageSize: .max))
        let catalog = AttributeCatalog(custom: custom.items.map(\.definition))
        cache[accountId] = (revision, catalog, freshness)
        return catalog
    }
}
