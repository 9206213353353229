import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: CollectionStore {
    public func createCollection(_ collection: ItemCollection) async throws -> ItemCollection {
        let subscribed = try Self.encodeJSON(collection.subscribedApplicationsIds)
        return try await pool.write { db in
            do {
                try db.execute(sql: """
                    INSERT INTO item_collection (account_id, application_id, campaign_id, name, description,
                        subscribed_applications, created_by, created, modified)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [collection.accountId, collection.applicationId, collection.campaignId,
                                     collection.name, collection.description, subscribed, collection.createdBy,
                                     collection.created, collection.modified])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                throw StoreError.conflict("a collection named \(collection.name) exists already")
            }
            var stored = collection
            stored.id = db.lastInsertedRowID
            try Self.bumpCollectionRevisions(db, stored)
            return stored
        }
    }

    public func collection(id: Int64, accountId: Int64, scope: CollectionScope) async throws -> ItemCollection {
        try await pool.read { db in try Self.collection(db, id: id, accountId: accountId, scope: scope) }
    }

    public func updateCollection(_ collection: ItemCollection) async throws -> ItemCollection {
        let subscribed = try Self.encodeJSON(collection.subscribedApplicationsIds)
        return try await pool.write { db in
            let before = try Self.collection(db, id: collection.id, accountId: collection.accountId, scope: .anyOfAccount)
            try db.execute(sql: """
                UPDATE item_collection SET description = ?, subscribed_applications = ?, modified_by = ?, modified = ?
                WHERE id = ?
                """, arguments: [collection.description, subscribed, collection.modifiedBy, collection.modified,
                                 collection.id])
            // Applications that left the subscription recompile too.
            try Self.bumpCollectionRevisions(db, before)
            let after = try Self.collection(db, id: collection.id, accountId: collection.accountId, scope: .anyOfAccount)
            try Self.bumpCollectionRevisions(db, after)
            return after
        }
    }

    public func deleteCollection(id: Int64, accountId: Int64, scope: CollectionScope) async throws {
        try await pool.write { db in
            let collection = try Self.collection(db, id: id, accountId: accountId, scope: scope)
            try Self.bumpCollectionRevisions(db, collection)
            try db.execute(sql: "DELETE FROM item_collection WHERE id = ?", arguments: [id])
        }
    }

    public func collections(accountId: Int64, scope: CollectionScope, name: String?, page: PageRequest) async throws
        -> (collections: [ItemCollection], hasMore: Bool)
    {
        var (scoped, arguments) = Self.scopeCondition(scope)
        if let name { scoped += " AND instr(name, ?) > 0"; arguments += [name] }
        let condition = scoped
        let order = try Self.orderClause(page.sort, allowed: ["id": "id", "name": "name", "created": "created"],
                                         default: "id")
        let allArguments: StatementArguments = [accountId] + arguments + [page.pageSize + 1, page.skip]
        return try await pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM item_collection WHERE account_id = ? AND \(condition) \(order) LIMIT ? OFFSET ?",
                arguments: allArguments
            )
            return (try rows.prefix(page.pageSize).map(Self.collection(from:)), rows.count > page.pageSize)
        }
    }

    public func collectionItems(id: Int64, page: PageRequest) async throws -> (items: [String], hasMore: Bool) {
        try await pool.read { db in
            let items = try String.fetchAll(db, sql: """
                SELECT item FROM collection_item WHERE collection_id = ? ORDER BY position LIMIT ? OFFSET ?
                """, arguments: [id, page.pageSize + 1, page.skip])
            return (Array(items.prefix(page.pageSize)), items.count > page.pageSize)
        }
    }

    public func replaceCollectionItems(id: Int64, items: [String], modifiedBy: Int64, now: Date) async throws -> Int {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM item_collection WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound(entity: "collection")
            }
            try db.execute(sql: "DELETE FROM collection_item WHERE collection_id = ?", arguments: [id])
            let insert = try db.cachedStatement(sql: """
                INSERT INTO collection_item (collection_id, position, item) VALUES (?, ?, ?)
                ON CONFLICT (collection_id, item) DO NOTHING
                """)
            var count = 0
            for item in items {
                try insert.execute(arguments: [id, count, item])
                count += db.changesCount
            }
            try db.execute(sql: "UPDATE item_collection SET modified = ?, modified_by = ? WHERE id = ?",
                           arguments: [now, modifiedBy, id])
            try Self.bumpCollectionRevisions(db, try Self.collection(from: row))
            return count
        }
    }

    public func collectionSets(applicationId: Int64) async throws -> CollectionSets {
        try await pool.read { db in
            let accountId = try Int64.fetchOne(db, sql: "SELECT account_id FROM application WHERE id = ?",
                                               arguments: [applicationId]) ?? 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM item_collection
                WHERE account_id = ? AND (application_id = ? OR (campaign_id IS NULL AND EXISTS (
                    SELECT 1 FROM json_each(subscribed_applications) WHERE value = ?)))
                """, arguments: [accountId, applicationId, applicationId])
            var sets = CollectionSets()
            for row in rows {
                let collection = try Self.collection(from: row)
                let items = Set(try String.fetchAll(
                    db, sql: "SELECT item FROM collection_item WHERE collection_id = ?", arguments: [collection.id]
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

    /// Compiled lineups carry the collections: the applications that may use this one recompile.
    private static func bumpCollectionRevisions(_ db: Database, _ collection: ItemCollection) throws {
        let applications = collection.applicationId.map { [$0] } ?? collection.subscribedApplicationsIds
        for applicationId in applications { try bumpRevision(db, applicationId: applicationId) }
    }

    private static func scopeCondition(_ scope: CollectionScope) -> (String, StatementArguments) {
        switch scope {
        case .account: ("campaign_id IS NULL", [])
        case .anyOfAccount: ("1 = 1", [])
        case .campaign(let applicationId, let campaignId): ("application_id = ? AND campaign_id = ?", [applicationId, campaignId])
        case .application(let applicationId):
            ("(application_id = ? OR (campaign_id IS NULL AND EXISTS (SELECT 1 FROM json_each(subscribed_applications) WHERE value = ?)))",
             [applicationId, applicationId])
        }
    }

    private static func collection(_ db: Database, id: Int64, accountId: Int64, scope: CollectionScope) throws
        -> ItemCollection
    {
        let (condition, arguments) = scopeCondition(scope)
        guard let row = try Row.fetchOne(
            db, sql: "SELECT * FROM item_collection WHERE id = ? AND account_id = ? AND \(condition)",
            arguments: [id, accountId] + arguments
        ) else { throw StoreError.notFound(entity: "collection") }
        return try collection(from: row)
    }

    private static func collection(from row: Row) throws -> ItemCollection {
        var collection = ItemCollection(id: row["id"], accountId: row["account_id"], name: row["name"],
                                        createdBy: row["created_by"], created: row.date("created"))
        collection.description = row["description"]
        collection.subscribedApplicationsIds = try decodeJSON([Int64].self, from: row["subscribed_applications"])
        collection.applicationId = row["application_id"]
        collection.campaignId = row["campaign_id"]
        collection.modifiedBy = row["modified_by"]
        collection.modified = row.date("modified")
        return collection
    }
}
