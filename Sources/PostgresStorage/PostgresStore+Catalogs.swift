import Foundation
import PromotionEngine
import Storage

extension PostgresStore: CatalogStore {
    public func createCatalog(_ catalog: Catalog) async throws -> Catalog {
        let applications = try StoredJSON.encode(catalog.subscribedApplicationIds)
        return try await write { db in
            let id = try await db.value(Int64.self, """
                INSERT INTO catalog (account_id, name, description, subscribed_application_ids, version, created,
                    created_by, modified)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                RETURNING id
                """, [catalog.accountId, catalog.name, catalog.description, applications, catalog.version,
                      catalog.created, catalog.createdBy, catalog.modified]) ?? 0
            var stored = catalog
            stored.id = id
            // Lineups carry their application's catalog ids.
            for applicationId in catalog.subscribedApplicationIds {
                try await Self.bumpRevision(db, applicationId: applicationId)
            }
            return stored
        }
    }

    public func catalog(id: Int64, accountId: Int64) async throws -> Catalog {
        try await read { db in try await Self.catalog(db, id: id, accountId: accountId) }
    }

    public func syncCatalog(id: Int64, accountId: Int64, actions: [CatalogSyncAction], now: Date) async throws
        -> Catalog
    {
        try await write { db in
            // The version bump locks the catalog's row: syncs of one catalog apply one after the other.
            guard let row = try await db.row("""
                UPDATE catalog SET version = version + 1, modified = ? WHERE id = ? AND account_id = ? RETURNING *
                """, [now, id, accountId])
            else { throw StoreError.notFound(entity: "catalog") }
            let catalog = try Self.catalog(from: row)
            let existing = CatalogSync.selectsByFilter(actions)
                ? try await db.rows("SELECT * FROM catalog_item WHERE catalog_id = ?", [id])
                : try await db.rows("SELECT * FROM catalog_item WHERE catalog_id = ? AND sku = ANY(?)",
                                    [id, actions.compactMap(\.sku)])
            let changes = try CatalogSync.plan(actions, existing: try existing.map(Self.catalogItem(from:)),
                                               catalogId: id, version: catalog.version, now: now)
            if !changes.removed.isEmpty {
                try await db.execute("DELETE FROM catalog_item WHERE id = ANY(?)", [BigIntList(changes.removed.map(\.id))])
            }
            for item in changes.saved {
                let (price, attributes) = (item.price.map { "\($0)" }, try StoredJSON.encode(item.attributes))
                if item.id == 0 {
                    try await db.execute("""
                        INSERT INTO catalog_item (catalog_id, sku, price, attributes, product, version, created)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, [id, item.sku, price, attributes, item.product, item.version, item.created])
                } else {
                    try await db.execute("""
                        UPDATE catalog_item SET price = ?, attributes = ?, product = ?, version = ? WHERE id = ?
                        """, [price, attributes, item.product, item.version, item.id])
                }
            }
            for change in changes.prices {
                try await db.execute("INSERT INTO catalog_price (catalog_id, sku, price, observed) VALUES (?, ?, ?, ?)",
                                     [id, change.sku, "\(change.price)", now])
            }
            return catalog
        }
    }

    public func catalogItems(catalogId: Int64, accountId: Int64, filter: CatalogItemFilter, page: PageRequest,
                             withTotal: Bool) async throws -> (items: [CatalogItem], hasMore: Bool, total: Int?)
    {
        var condition = "catalog_id = ?"
        var arguments: SQLArguments = [catalogId]
        if !filter.skus.isEmpty { condition += " AND sku = ANY(?)"; arguments.append(filter.skus) }
        if !filter.productNames.isEmpty { condition += " AND product = ANY(?)"; arguments.append(filter.productNames) }
        let (sql, values) = (condition, arguments)
        return try await read { db in
            _ = try await Self.catalog(db, id: catalogId, accountId: accountId)
            let rows = try await db.rows("SELECT * FROM catalog_item WHERE \(sql) ORDER BY id LIMIT ? OFFSET ?",
                                         values + [page.pageSize + 1, page.skip])
            let total = withTotal
                ? Int(try await db.value(Int64.self, "SELECT COUNT(*) FROM catalog_item WHERE \(sql)", values) ?? 0)
                : nil
            return (try rows.prefix(page.pageSize).map(Self.catalogItem(from:)), rows.count > page.pageSize, total)
        }
    }

    public func catalogIds(applicationId: Int64) async throws -> [Int64] {
        try await read { db in try await Self.catalogIds(db, applicationId: applicationId) }
    }

    public func catalogItems(catalogIds: [Int64], skus: [String]) async throws -> [CatalogItem] {
        guard !catalogIds.isEmpty, !skus.isEmpty else { return [] }
        return try await read { db in
            try await db.rows("""
                SELECT * FROM catalog_item WHERE catalog_id = ANY(?) AND sku = ANY(?) ORDER BY catalog_id
                """, [BigIntList(catalogIds), skus]).map(Self.catalogItem(from:))
        }
    }

    public func priceObservations(applicationId: Int64, skus: [String], from: Date?, through: Date) async throws
        -> [PriceObservation]
    {
        guard !skus.isEmpty else { return [] }
        return try await read { db in
            let catalogs = try await Self.catalogIds(db, applicationId: applicationId)
            guard !catalogs.isEmpty else { return [] }
            var arguments: SQLArguments = [BigIntList(catalogs), skus, through]
            if let from { arguments.append(from) }
            return try await db.rows("""
                SELECT * FROM catalog_price WHERE catalog_id = ANY(?) AND sku = ANY(?) AND observed <= ?\
                \(from == nil ? "" : " AND observed >= ?")
                ORDER BY observed, id
                """, arguments).map { row in
                PriceObservation(id: try row["id"], sku: try row["sku"],
                                 price: Decimal(string: try row["price"] as String) ?? 0, observedAt: try row.date("observed"))
            }
        }
    }

    private static func catalogIds(_ db: Database, applicationId: Int64) async throws -> [Int64] {
        try await db.values(Int64.self, """
            SELECT c.id FROM catalog c JOIN application a ON a.account_id = c.account_id
            WHERE a.id = ? AND EXISTS (
                SELECT 1 FROM json_array_elements_text(c.subscribed_application_ids::json) AS s(value)
                WHERE s.value::bigint = ?)
            ORDER BY c.id
            """, [applicationId, applicationId])
    }

    private static func catalog(_ db: Database, id: Int64, accountId: Int64) async throws -> Catalog {
        guard let row = try await db.row("SELECT * FROM catalog WHERE id = ? AND account_id = ?", [id, accountId])
        else { throw StoreError.notFound(entity: "catalog") }
        return try catalog(from: row)
    }

    private static func catalog(from row: Row) throws -> Catalog {
        var catalog = Catalog(
            id: try row["id"], accountId: try row["account_id"], name: try row["name"],
            description: try row["description"],
            subscribedApplicationIds: try StoredJSON.decode([Int64].self, from: try row["subscribed_application_ids"]),
            created: try row.date("created"), createdBy: try row["created_by"]
        )
        catalog.version = try row["version"]
        catalog.modified = try row.date("modified")
        return catalog
    }

    private static func catalogItem(from row: Row) throws -> CatalogItem {
        CatalogItem(
            id: try row["id"], catalogId: try row["catalog_id"], sku: try row["sku"],
            price: (try row["price"] as String?).flatMap { Decimal(string: $0) },
            attributes: try StoredJSON.decode([String: JSONValue].self, from: try row["attributes"]),
            product: try row["product"], version: try row["version"], created: try row.date("created")
        )
    }
}
