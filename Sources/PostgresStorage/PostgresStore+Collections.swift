import Foundation
import PromotionEngine
import Storage

extension PostgresStore: CollectionStore {
    public func createCollection(_ collection: ItemCollection) async throws -> ItemCollection {
        let subscribed = try StoredJSON.encode(collection.subscribedApplicationsIds)
        return try await write { db in
            let id = try await Self.mappingUniqueViolation(
                to: .conflict("a collection named \(collection.name) exists already")
            ) {
                try await db.value(Int64.self, """
                    INSERT INTO item_collection (account_id, application_id, campaign_id, name, description,
                        subscribed_applications, created_by, created, modified)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    RETURNING id
                    """, [collection.accountId, collection.applicationId, collection.campaignId, collection.name,
                          collection.description, subscribed, collection.createdBy, collection.created,
                          collection.modified]) ?? 0
            }
            var stored = collection
            stored.id = id
            try await Self.bumpCollectionRevisions(db, stored)
            return stored
        }
    }

    public func collection(id: Int64, accountId: Int64, scope: CollectionScope) async throws -> ItemCollection {
        try await read { db in try await Self.collection(db, id: id, accountId: accountId, scope: scope) }
    }

    public func updateCollection(_ collection: ItemCollection) async throws -> ItemCollection {
        let subscribed = try StoredJSON.encode(collection.subscribedApplicationsIds)
        return try await write { db in
            let before = try await Self.collection(db, id: collection.id, accountId: collection.accountId,
                                                   scope: .anyOfAccount)
            try await db.execute("""
                UPDATE item_collection SET description = ?, subscribed_applications = ?, modified_by = ?, modified = ?
                WHERE id = ?
                """, [collection.description, subscribed, collection.modifiedBy, collection.modified, collection.id])
            // Applications that left the subscription recompile too.
            try await Self.bumpCollectionRevisions(db, before)
            let after = try await Self.collection(db, id: collection.id, accountId: collection.accountId,
                                                  scope: .anyOfAccount)
            try await Self.bumpCollectionRevisions(db, after)
            return after
        }
    }

    public func deleteCollection(id: Int64, accountId: Int64, scope: CollectionScope) async throws {
        try await write { db in
            let collection = try await Self.collection(db, id: id, accountId: accountId, scope: scope)
            try await Self.bumpCollectionRevisions(db, collection)
            try await db.execute("DELETE FROM item_collection WHERE id = ?", [id])
        }
    }

    public func collections(accountId: Int64, scope: CollectionScope, name: String?, page: PageRequest) async throws
        -> (collections: [ItemCollection], hasMore: Bool)
    {
        var (scoped, arguments) = Self.scopeCondition(scope)
        if let name { scoped += " AND strpos(name, ?) > 0"; arguments.append(name) }
        let condition = scoped
        let order = try listingOrder(page.sort, allowed: ["id": "id", "name": "name", "created": "created"],
                                     default: "id")
        let allArguments: SQLArguments = [accountId] + arguments + [page.pageSize + 1, page.skip]
        return try await read { db in
            let rows = try await db.rows(
                "SELECT * FROM item_collection WHERE account_id = ? AND \(condition) \(order) LIMIT ? OFFSET ?",
                allArguments
            )
            return (try rows.prefix(page.pageSize).map(Self.collection(from:)), rows.count > page.pageSize)
        }
    }

    public func collectionItems(id: Int64, page: PageRequest) async throws -> (items: [String], hasMore: Bool) {
        try await read { db in
            let items = try await db.values(String.self, """
                SELECT item FROM collection_item WHERE collection_id = ? ORDER BY position LIMIT ? OFFSET ?
                """, [id, page.pageSize + 1, page.skip])
            return (Array(items.prefix(page.pageSize)), items.count > page.pageSize)
        }
    }

    /// The items in one statement: a JSON array unnested in order, each item at the position of its first
    /// occurrence among the distinct ones (SQLite's row-by-row insert that ignores repeats).
    public func replaceCollectionItems(id: Int64, items: [String], modifiedBy: Int64, now: Date) async throws -> Int {
        let json = try StoredJSON.encode(items)
        return try await write { db in
            guard let row = try await db.row("SELECT * FROM item_collection WHERE id = ? FOR UPDATE", [id]) else {
                throw StoreError.notFound(entity: "collection")
            }
            try await db.execute("DELETE FROM collection_item WHERE collection_id = ?", [id])
            let count = try await db.value(Int.self, """
                WITH inserted AS (
                    INSERT INTO collection_item (collection_id, position, item)
                    SELECT ?, row_number() OVER (ORDER BY first) - 1, item
                    FROM (SELECT item, min(ordinal) AS first
                          FROM json_array_elements_text(?::json) WITH ORDINALITY AS t(item, ordinal)
                          GROUP BY item) AS distinct_items
                    RETURNING 1
                )
                SELECT COUNT(*) FROM inserted
                """, [id, json]) ?? 0
            try await db.execute("UPDATE item_collection SET modified = ?, modified_by = ? WHERE id = ?",
                                 [now, modifiedBy, id])
            try await Self.bumpCollectionRevisions(db, try Self.collection(from: row))
            return count
        }
    }

    public func collectionSets(applicationId: Int64) async throws -> CollectionSets {
        try await read { db in
            let accountId = try await db.value(Int64.self, "SELECT account_id FROM application WHERE id = ?",
                                               [applicationId]) ?? 0
            let rows = try await db.rows("""
                SELECT * FROM item_collection
                WHERE account_id = ? AND (application_id = ? OR (campaign_id IS NULL AND \(Self.subscribes)))
                """, [accountId, applicationId, applicationId])
            var sets = CollectionSets()
            for row in rows {
                let collection = try Self.collection(from: row)
                let items = Set(try await db.values(
                    String.self, "SELECT item FROM collection_item WHERE collection_id = ?", [collection.id]
                ))
                if let campaignId = collection.campaignId {
                    sets.campaigns[campaignId, default: [:]][collection.name] = items
                } else {
                    sets.account[collection.name] = items
                }
            }
            return sets
        }
    }

    /// SQLite's `json_each(subscribed_applications)`: the subscribed application ids, one bound id compared.
    private static let subscribes = """
        EXISTS (SELECT 1 FROM json_array_elements_text(subscribed_applications::json) AS s(value)
                WHERE s.value::bigint = ?)
        """

    /// Compiled lineups carry the collections: the applications that may use this one recompile.
    private static func bumpCollectionRevisions(_ db: Database, _ collection: ItemCollection) async throws {
        let applications = collection.applicationId.map { [$0] } ?? collection.subscribedApplicationsIds
        for applicationId in applications { try await bumpRevision(db, applicationId: applicationId) }
    }

    private static func scopeCondition(_ scope: CollectionScope) -> (String, SQLArguments) {
        switch scope {
        case .account: ("campaign_id IS NULL", [])
        case .anyOfAccount: ("1 = 1", [])
        case .campaign(let applicationId, let campaignId):
            ("application_id = ? AND campaign_id = ?", [applicationId, campaignId])
        case .application(let applicationId):
            ("(application_id = ? OR (campaign_id IS NULL AND \(subscribes)))", [applicationId, applicationId])
        }
    }

    private static func collection(_ db: Database, id: Int64, accountId: Int64, scope: CollectionScope) async throws
        -> ItemCollection
    {
        let (condition, arguments) = scopeCondition(scope)
        guard let row = try await db.row("SELECT * FROM item_collection WHERE id = ? AND account_id = ? AND \(condition)",
                                         [id, accountId] + arguments)
        else { throw StoreError.notFound(entity: "collection") }
        return try collection(from: row)
    }

    private static func collection(from row: Row) throws -> ItemCollection {
        var collection = ItemCollection(id: try row["id"], accountId: try row["account_id"], name: try row["name"],
                                        createdBy: try row["created_by"], created: try row.date("created"))
        collection.description = try row["description"]
        collection.subscribedApplicationsIds = try StoredJSON.decode([Int64].self,
                                                                     from: try row["subscribed_applications"])
        collection.applicationId = try row["application_id"]
        collection.campaignId = try row["campaign_id"]
        collection.modifiedBy = try row["modified_by"]
        collection.modified = try row.date("modified")
        return collection
    }
}
