import Foundation

/// A cart item catalog of an account: items by SKU with a price and attributes, synced by the shop
/// (`syncCatalog`) and read by the rules of the applications subscribed to it.
public struct Catalog: Sendable, Hashable {
    public var id: Int64
    public var accountId: Int64
    public var name: String
    public var description: String
    public var subscribedApplicationIds: [Int64]
    /// Moves by one with every sync; items keep the version that last changed them.
    public var version: Int64
    public var created: Date
    public var createdBy: Int64
    public var modified: Date

    public init(id: Int64, accountId: Int64, name: String, description: String, subscribedApplicationIds: [Int64],
                created: Date, createdBy: Int64)
    {
        (self.id, self.accountId, self.name, self.description) = (id, accountId, name, description)
        (self.subscribedApplicationIds, self.created, self.createdBy) = (subscribedApplicationIds, created, createdBy)
        (version, modified) = (1, created)
    }
}

/// One item of a catalog.
public struct CatalogItem: Sendable, Hashable {
    public var id: Int64
    public var catalogId: Int64
    public var sku: String
    public var price: Decimal?
    public var attributes: [String: JSONValue]
    public var product: String?
    public var version: Int64
    public var created: Date

    public init(id: Int64 = 0, catalogId: Int64, sku: String, price: Decimal? = nil,
                attributes: [String: JSONValue] = [:], product: String? = nil, version: Int64, created: Date)
    {
        (self.id, self.catalogId, self.sku, self.price) = (id, catalogId, sku, price)
        (self.attributes, self.product, self.version, self.created) = (attributes, product, version, created)
    }
}

/// A SKU's price as recorded when a sync set it (the price history `bestPriorPrice` looks back over).
public struct PriceObservation: Sendable, Hashable {
    public var id: Int64
    public var sku: String
    public var price: Decimal
    public var observedAt: Date

    public init(id: Int64, sku: String, price: Decimal, observedAt: Date) {
        (self.id, self.sku, self.price, self.observedAt) = (id, sku, price, observedAt)
    }
}

extension CartItem {
    /// The item as rules see it with its catalog entry: the catalog's attributes under the ones the shop sent, and
    /// the catalog's price when the shop sent none (a sent price overrides the catalog's, as Talon.One's does).
    public func completed(by entry: CatalogItem) -> CartItem {
        var item = self
        if item.price == nil { item.price = entry.price }
        if !entry.attributes.isEmpty {
            item.attributes = entry.attributes.merging(attributes ?? [:]) { _, sent in sent }
        }
        return item
    }
}

extension [CartItem] {
    /// Each item completed by the first catalog entry of its SKU (`entries` in the order catalogs are preferred).
    public func completed(by entries: [CatalogItem]) -> [CartItem] {
        var bySKU: [String: CatalogItem] = [:]
        for entry in entries where bySKU[entry.sku] == nil { bySKU[entry.sku] = entry }
        guard !bySKU.isEmpty else { return self }
        return map { item in bySKU[item.sku].map(item.completed(by:)) ?? item }
    }
}
