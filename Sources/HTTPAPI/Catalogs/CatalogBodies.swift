import Foundation
import PromotionEngine
import Storage

/// The spec's `Catalog` (the answer of `syncCatalog` and of Sconto's `POST /v1/catalogs`).
struct CatalogBody: Encodable, Sendable {
    var id: Int64
    var created: Date
    var accountId: Int64
    var modified: Date
    var name: String
    var description: String
    var subscribedApplicationsIds: [Int64]
    var version: Int64
    var createdBy: Int64

    init(_ catalog: Catalog) {
        (id, created, accountId, modified) = (catalog.id, catalog.created, catalog.accountId, catalog.modified)
        (name, description, subscribedApplicationsIds) = (catalog.name, catalog.description, catalog.subscribedApplicationIds)
        (version, createdBy) = (catalog.version, catalog.createdBy)
    }
}

/// The spec's `CatalogItem` (`listCatalogItems`): attributes as a list naming each with its custom attribute's id
/// (0 when the name is not a registered cart item attribute).
struct CatalogItemBody: Encodable, Sendable {
    struct Attribute: Encodable, Sendable {
        var attributeid: Int64
        var name: String
        var value: JSONValue
    }

    struct Product: Encodable, Sendable {
        var name: String
    }

    var id: Int64
    var created: Date
    var sku: String
    var price: Decimal?
    var catalogid: Int64
    var version: Int64
    var attributes: [Attribute]
    var product: Product?

    init(_ item: CatalogItem, attributeIds: [String: Int64]) {
        (id, created, sku, price, catalogid, version) = (item.id, item.created, item.sku, item.price, item.catalogId, item.version)
        attributes = item.attributes.sorted { $0.key < $1.key }.map { name, value in
            Attribute(attributeid: attributeIds[name] ?? 0, name: name, value: value)
        }
        product = item.product.map(Product.init)
    }
}

struct CatalogItemListing: Encodable, Sendable {
    var hasMore: Bool
    var totalResultSize: Int?
    var data: [CatalogItemBody]
}

/// A recorded price as `priceHistory` and `bestPriorPrice` answer it. Sconto records no price contexts,
/// campaign influence or targets: those are empty, and the target `NONE`.
struct PriceObservationBody: Encodable, Sendable {
    struct Metadata: Encodable, Sendable {
        var influencingCampaignDetails: [JSONValue] = []
    }

    struct Target: Encodable, Sendable {
        var type = "NONE"
    }

    var id: Int64
    var sku: String?
    var observedAt: Date
    var contextIds: [String] = []
    var contextId = ""
    var price: Decimal
    var metadata = Metadata()
    var target = Target()

    init(_ observation: PriceObservation, withSKU: Bool) {
        (id, observedAt, price) = (observation.id, observation.observedAt, observation.price)
        sku = withSKU ? observation.sku : nil
    }
}

struct PriceHistoryBody: Encodable, Sendable {
    var sku: String
    var history: [PriceObservationBody]
}
