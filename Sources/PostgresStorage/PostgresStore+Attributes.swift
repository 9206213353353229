import Foundation
import PromotionEngine
import Storage

extension PostgresStore: AttributeStore {
    public func createAttribute(accountId: Int64, definition: AttributeDefinition, now: Date) async throws
        -> StoredAttribute
    {
        let json = try StoredJSON.encode(definition)
        let conflict = StoreError.conflict("the \(definition.entity.rawValue) attribute \(definition.name) exists already")
        return try await write { db in
            let id = try await Self.mappingUniqueViolation(to: conflict) {
                try await db.value(Int64.self, """
                    INSERT INTO attribute (account_id, entity, name, definition, created) VALUES (?, ?, ?, ?, ?)
                    RETURNING id
                    """, [accountId, definition.entity.rawValue, definition.name, json, now]) ?? 0
            }
            try await Self.bumpAttributeRevision(db, accountId: accountId)
            return StoredAttribute(id: id, accountId: accountId, created: now, definition: definition)
        }
    }

    public func attributes(accountId: Int64, entity: AttributeEntity?, page: PageRequest) async throws
        -> Page<StoredAttribute>
    {
        let condition = entity == nil ? "account_id = ?" : "account_id = ? AND entity = ?"
        var arguments: SQLArguments = [accountId]
        if let entity { arguments.append(entity.rawValue) }
        let order = try listingOrder(page.sort, allowed: ["id": "id", "name": "name", "created": "created"],
                                         default: "id")
        let countArguments = arguments
        let listArguments = arguments + [page.pageSize, page.skip]
        return try await read { db in
            let total = try await db.value(Int.self, "SELECT COUNT(*) FROM attribute WHERE \(condition)",
                                           countArguments) ?? 0
            let rows = try await db.rows("SELECT * FROM attribute WHERE \(condition) \(order) LIMIT ? OFFSET ?",
                                         listArguments)
            return Page(items: try rows.map(Self.attribute(from:)), totalCount: total)
        }
    }

    public func attribute(id: Int64, accountId: Int64) async throws -> StoredAttribute {
        try await read { db in
            guard let row = try await db.row("SELECT * FROM attribute WHERE id = ? AND account_id = ?", [id, accountId])
            else { throw StoreError.notFound(entity: "attribute") }
            return try Self.attribute(from: row)
        }
    }

    public func updateAttribute(id: Int64, accountId: Int64, definition: AttributeDefinition) async throws
        -> StoredAttribute
    {
        let json = try StoredJSON.encode(definition)
        return try await write { db in
            guard let row = try await db.row(
                "UPDATE attribute SET definition = ? WHERE id = ? AND account_id = ? RETURNING *", [json, id, accountId]
            ) else { throw StoreError.notFound(entity: "attribute") }
            var stored = try Self.attribute(from: row)
            stored.definition = definition
            try await Self.bumpAttributeRevision(db, accountId: accountId)
            return stored
        }
    }

    public func attributeRevision(accountId: Int64) async throws -> Int64 {
        try await read { db in
            try await db.value(Int64.self, "SELECT attribute_revision FROM account WHERE id = ?", [accountId]) ?? 0
        }
    }

    private static func bumpAttributeRevision(_ db: Database, accountId: Int64) async throws {
        try await db.execute("UPDATE account SET attribute_revision = attribute_revision + 1 WHERE id = ?", [accountId])
        db.changesConfiguration = true
    }

    private static func attribute(from row: Row) throws -> StoredAttribute {
        StoredAttribute(id: try row["id"], accountId: try row["account_id"], created: try row.date("created"),
                        definition: try StoredJSON.decode(AttributeDefinition.self, from: try row["definition"]))
    }
}
