import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: CatalogStore {
    public func createCatalog(_ catalog: Catalog) async throws -> Catalog {
        let applications = try Self.encodeJSON(catalog.subscribedApplicationIds)
        return try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO catalog (account_id, name, description, subscribed_application_ids, version, created,
                    created_by, modified)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [catalog.accountId, catalog.name, catalog.description, applications, catalog.version,
                                 catalog.created, catalog.createdBy, catalog.modified])
            var stored = catalog
            stored.id = db.lastInsertedRowID
            // Lineups carry their application's catalog ids.
            for applicationId in catalog.subscribedApplicationIds { try Self.bumpRevision(db, applicationId: applicationId) }
            return stored
        }
    }

    public func catalog(id: Int64, accountId: Int64) async throws -> Catalog {
        try await pool.read { db in try Self.catalog(db, id: id, accountId: accountId) }
    }

    public func syncCatalog(id: Int64, accountId: Int64, actions: [CatalogSyncAction], now: Date) async throws
        -> Catalog
    {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: """
                UPDATE catalog SET version = version + 1, modified = ? WHERE id = ? AND account_id = ? RETURNING *
                """, arguments: [now, id, accountId])
            else { throw StoreError.notFound(entity: "catalog") }
            let catalog = try Self.catalog(from: row)
            let existing: [Row]
            if CatalogSync.selectsByFilter(actions) {
                existing = try Row.fetchAll(db, sql: "SELECT * FROM catalog_item WHERE catalog_id = ?", arguments: [id])
            } else {
                let skus = actions.compactMap(\.sku)
                existing = try Row.fetchAll(
                    db, sql: "SELECT * FROM catalog_item WHERE catalog_id = ? AND sku IN (\(databaseQuestionMarks(count: skus.count)))",
                    arguments: [id] + StatementArguments(skus)
                )
            }
            let changes = try CatalogSync.plan(actions, existing: try existing.map(Self.catalogItem(from:)), catalogId: id,
                                               version: catalog.version, now: now)
            let delete = try db.cachedStatement(sql: "DELETE FROM catalog_item WHERE id = ?")
            for item in changes.removed { try delete.execute(arguments: [item.id]) }
            let insert = try db.cachedStatement(sql: """
                INSERT INTO catalog_item (catalog_id, sku, price, attributes, product, version, created)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            let update = try db.cachedStatement(sql: """
                UPDATE catalog_item SET price = ?, attributes = ?, product = ?, version = ? WHERE id = ?
                """)
            for item in changes.saved {
                let (price, attributes) = (item.price.map { "\($0)" }, try Self.encodeJSON(item.attributes))
                if item.id == 0 {
                    try insert.execute(arguments: [id, item.sku, price, attributes, item.product, item.version, item.created])
                } else {
                    try update.execute(arguments: [price, attributes, item.product, item.version, item.id])
                }
            }
            let record = try db.cachedStatement(sql: "INSERT INTO catalog_price (catalog_id, sku, price, observed) VALUES (?, ?, ?, ?)")
            for change in changes.prices { try record.execute(arguments: [id, change.sku, "\(change.price)", now]) }
            return catalog
        }
    }

    public func catalogItems(catalogId: Int64, accountId: Int64, filter: CatalogItemFilter, page: PageRequest,
                             withTotal: Bool) async throws -> (items: [CatalogItem], hasMore: Bool, total: Int?)
    {
        var condition = "catalog_id = ?"
        var arguments: StatementArguments = [catalogId]
        if !filter.skus.isEmpty {
            condition += " AND sku IN (\(databaseQuestionMarks(count: filter.skus.count)))"
            arguments += StatementArguments(filter.skus)
        }
        if !filter.productNames.isEmpty {
            condition += " AND product IN (\(databaseQuestionMarks(count: filter.productNames.count)))"
            arguments += StatementArguments(filter.productNames)
        }
        let (sql, values) = (condition, arguments)
        return try await pool.read { db in
            _ = try Self.catalog(db, id: catalogId, accountId: accountId)
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM catalog_item WHERE \(sql) ORDER BY id LIMIT ? OFFSET ?",
                                        arguments: values + [page.pageSize + 1, page.skip])
            let total = withTotal
                ? try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM catalog_item WHERE \(sql)", arguments: values)
                : nil
            return (try rows.prefix(page.pageSize).map(Self.catalogItem(from:)), rows.count > page.pageSize, total)
        }
    }

    public func catalogIds(applicationId: Int64) async throws -> [Int64] {
        try await pool.read { db in try Self.catalogIds(db, applicationId: applicationId) }
    }

    public func catalogItems(catalogIds: [Int64], skus: [String]) async throws -> [CatalogItem] {
        guard !catalogIds.isEmpty, !skus.isEmpty else { return [] }
        let arguments = StatementArguments(catalogIds) + StatementArguments(skus)
        return try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM catalog_item WHERE catalog_id IN (\(databaseQuestionMarks(count: catalogIds.count)))
                    AND sku IN (\(databaseQuestionMarks(count: skus.count)))
                ORDER BY catalog_id
                """, arguments: arguments).map(Self.catalogItem(from:))
        }
    }

    public func priceObservations(applicationId: Int64, skus: [String], from: Date?, through: Date) async throws
        -> [PriceObservation]
    {
        guard !skus.isEmpty else { return [] }
        return try await pool.read { db in
            let catalogs = try Self.catalogIds(db, applicationId: applicationId)
            guard !catalogs.isEmpty else { return [] }
            var arguments = StatementArguments(catalogs) + StatementArguments(skus) + [through]
            if let from { arguments += [from] }
            return try Row.fetchAll(db, sql: """
                SELECT * FROM catalog_price WHERE catalog_id IN (\(databaseQuestionMarks(count: catalogs.count)))
                    AND sku IN (\(databaseQuestionMarks(count: skus.count))) AND observed <= ?\(from == nil ? "" : " AND observed >= ?")
                ORDER BY observed, id
                """, arguments: arguments).map { row in
                PriceObservation(id: row["id"], sku: row["sku"], price: Decimal(string: row["price"]) ?? 0,
                                 observedAt: row.date("observed"))
            }
        }
    }

    private static func catalogIds(_ db: Database, applicationId: Int64) throws -> [Int64] {
        try Int64.fetchAll(db, sql: """
            SELECT c.id FROM catalog c JOIN application a ON a.account_id = c.account_id
            WHERE a.id = ? AND EXISTS (SELECT 1 FROM json_each(c.subscribed_application_ids) WHERE value = ?)
            ORDER BY c.id
            """, arguments: [applicationId, applicationId])
    }

    private static func catalog(_ db: Database, id: Int64, accountId: Int64) throws -> Catalog {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM catalog WHERE id = ? AND account_id = ?",
                                         arguments: [id, accountId])
        else { throw StoreError.notFound(entity: "catalog") }
        return try catalog(from: row)
    }

    private static func catalog(from row: Row) throws -> Catalog {
        var catalog = Catalog(
            id: row["id"], accountId: row["account_id"], name: row["name"], description: row["description"],
            subscribedApplicationIds: try decodeJSON([Int64].self, from: row["subscribed_application_ids"]),
            created: row.date("created"), createdBy: row["created_by"]
        )
        catalog.version = row["version"]
        catalog.modified = row.date("modified")
        return catalog
    }

    private static func catalogItem(from row: Row) throws -> CatalogItem {
        CatalogItem(
            id: row["id"], catalogId: row["catalog_id"], sku: row["sku"],
            price: (row["price"] as String?).flatMap { Decimal(string: $0) },
            attributes: try decodeJSON([String: JSONValue].self, from: row["attributes"]), product: row["product"],
            version: row["version"], created: row.date("created")
        )
    }
}
