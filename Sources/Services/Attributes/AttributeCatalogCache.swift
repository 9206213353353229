import PromotionEngine
import Storage
import Synchronization

/// Each account's attribute catalog, rebuilt when the account's attribute revision changes.
public actor AttributeCatalogCache {
    private let store: any Store
    private typealias Entry = (revision: Int64, catalog: AttributeCatalog, freshness: CacheFreshness)
    /// Read without entering the actor: a fresh entry is answered on the request's own thread.
    private let cache = Mutex<[Int64: Entry]>([:])
    private let loads = SharedLoads<Int64, Entry>()

    public init(store: any Store) {
        self.store = store
    }

    public nonisolated func catalog(accountId: Int64) async throws -> AttributeCatalog {
        let cached = cache.withLock { $0[accountId] }
        if let cached, !cached.freshness.needsCheck { return cached.catalog }
        return try await refreshedCatalog(accountId: accountId, cached: cached)
    }

    private func refreshedCatalog(accountId: Int64, cached: Entry?) async throws -> AttributeCatalog {
        let entry = try await loads.value(for: accountId) { [self] in try await load(accountId: accountId, cached: cached) }
        cache.withLock { $0[accountId] = entry }
        return entry.catalog
    }

    private func load(accountId: Int64, cached: Entry?) async throws -> Entry {
        let revision = try await store.attributeRevision(accountId: accountId)
        var freshness = CacheFreshness()
        freshness.markChecked()
        if let cached, cached.revision == revision { return Entry(revision: revision, catalog: cached.catalog, freshness: freshness) }
        let custom = try await store.attributes(accountId: accountId, entity: nil, page: PageRequest(pageSize: .max))
        return Entry(revision: revision, catalog: AttributeCatalog(custom: custom.items.map(\.definition)), freshness: freshness)
    }
}
