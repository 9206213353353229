import Foundation
import PromotionEngine

/// Which collections a listing shows.
public enum CollectionScope: Sendable, Hashable {
    case account
    case campaign(applicationId: Int64, campaignId: Int64)
    /// Every collection an application's rules may use: its campaigns' and the account's it subscribes to.
    case application(Int64)
    /// Any collection of the account, its campaigns' included.
    case anyOfAccount
}

/// Collections and their items.
public protocol CollectionStore: Sendable {
    /// A name taken in the same scope (the account's, or the campaign's) is a `StoreError.conflict`.
    func createCollection(_ collection: ItemCollection) async throws -> ItemCollection
    func collection(id: Int64, accountId: Int64, scope: CollectionScope) async throws -> ItemCollection
    func updateCollection(_ collection: ItemCollection) async throws -> ItemCollection
    func deleteCollection(id: Int64, accountId: Int64, scope: CollectionScope) async throws
    func collections(accountId: Int64, scope: CollectionScope, name: String?, page: PageRequest) async throws
        -> (collections: [ItemCollection], hasMore: Bool)
    /// Items in insertion order.
    func collectionItems(id: Int64, page: PageRequest) async throws -> (items: [String], hasMore: Bool)
    /// Replaces the items (an import), in one transaction; duplicates count once. Returns how many are stored.
    func replaceCollectionItems(id: Int64, items: [String], modifiedBy: Int64, now: Date) async throws -> Int
    /// The collections the application's rules may use, with every item.
    func collectionSets(applicationId: Int64) async throws -> CollectionSets
}
