import Foundation
import PromotionEngine

/// Which items `listCatalogItems` shows (either list empty: no condition).
public struct CatalogItemFilter: Sendable, Hashable {
    public var skus: [String]
    public var productNames: [String]

    public init(skus: [String] = [], productNames: [String] = []) {
        (self.skus, self.productNames) = (skus, productNames)
    }
}

/// Cart item catalogs, their items and the prices they had.
public protocol CatalogStore: Sendable {
    /// Inserts the catalog (its `id` is ignored); its applications' lineups reload.
    func createCatalog(_ catalog: Catalog) async throws -> Catalog
    func catalog(id: Int64, accountId: Int64) async throws -> Catalog
    /// Applies the actions in one transaction (`CatalogSync.plan` on the items they name, under the catalog's row
    /// lock, so syncs of one catalog run one after the other); records every new price. Returns the catalog at its
    /// new version. An action that cannot apply throws its `ValidationIssue` and changes nothing.
    func syncCatalog(id: Int64, accountId: Int64, actions: [CatalogSyncAction], now: Date) async throws -> Catalog
    /// A page of the catalog's items in id order; the total only when asked for.
    func catalogItems(catalogId: Int64, accountId: Int64, filter: CatalogItemFilter, page: PageRequest,
                      withTotal: Bool) async throws -> (items: [CatalogItem], hasMore: Bool, total: Int?)
    /// The catalogs the application is subscribed to, in id order (loaded with its lineup).
    func catalogIds(applicationId: Int64) async throws -> [Int64]
    /// The entries of these SKUs in these catalogs, in catalog id order (a session's items, on the hot path).
    func catalogItems(catalogIds: [Int64], skus: [String]) async throws -> [CatalogItem]
    /// The prices recorded for the SKUs in the application's catalogs, observed from `from` (nil: any time) through
    /// `through`, oldest first.
    func priceObservations(applicationId: Int64, skus: [String], from: Date?, through: Date) async throws
        -> [PriceObservation]
}
