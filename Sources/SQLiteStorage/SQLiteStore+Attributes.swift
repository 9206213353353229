import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: AttributeStore {
    public func createAttribute(accountId: Int64, definition: AttributeDefinition, now: Date) async throws
        -> StoredAttribute
    {
        let json = try Self.encodeJSON(definition)
        return try await pool.write { db in
            try Self.mappingConstraints("the \(definition.entity.rawValue) attribute \(definition.name) exists already") {
                try db.execute(
                    sql: "INSERT INTO attribute (account_id, entity, name, definition, created) VALUES (?, ?, ?, ?, ?)",
                    arguments: [accountId, definition.entity.rawValue, definition.name, json, now]
                )
            }
            try db.execute(sql: "UPDATE account SET attribute_revision = attribute_revision + 1 WHERE id = ?",
                           arguments: [accountId])
            db.afterNextTransaction { _ in ConfigurationChanges.record() }
            return StoredAttribute(id: db.lastInsertedRowID, accountId: accountId, created: now, definition: definition)
        }
    }

    public func attributes(accountId: Int64, entity: AttributeEntity?, page: PageRequest) async throws
        -> Page<StoredAttribute>
    {
        let condition = entity == nil ? "account_id = ?" : "account_id = ? AND entity = ?"
        var arguments: StatementArguments = [accountId]
        if let entity { arguments += [entity.rawValue] }
        let order = try Self.orderClause(page.sort, allowed: ["id": "id", "name": "name", "created": "created"],
                                         default: "id")
        let countArguments = arguments
        let listArguments = arguments + [page.pageSize, page.skip]
        return try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attribute WHERE \(condition)",
                                         arguments: countArguments) ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM attribute WHERE \(condition) \(order) LIMIT ? OFFSET ?",
                                        arguments: listArguments)
            return Page(items: try rows.map(Self.attribute(from:)), totalCount: total)
        }
    }

    public func attribute(id: Int64, accountId: Int64) async throws -> StoredAttribute {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM attribute WHERE id = ? AND account_id = ?",
                                             arguments: [id, accountId])
            else { throw StoreError.notFound(entity: "attribute") }
            return try Self.attribute(from: row)
        }
    }

    public func updateAttribute(id: Int64, accountId: Int64, definition: AttributeDefinition) async throws
        -> StoredAttribute
    {
        let json = try Self.encodeJSON(definition)
        return try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM attribute WHERE id = ? AND account_id = ?",
                                             arguments: [id, accountId])
            else { throw StoreError.notFound(entity: "attribute") }
            var stored = try Self.attribute(from: row)
            stored.definition = definition
            try db.execute(sql: "UPDATE attribute SET definition = ? WHERE id = ?", arguments: [json, id])
            try db.execute(sql: "UPDATE account SET attribute_revision = attribute_revision + 1 WHERE id = ?",
                           arguments: [accountId])
            db.afterNextTransaction { _ in ConfigurationChanges.record() }
            return stored
        }
    }

    public func attributeRevision(accountId: Int64) async throws -> Int64 {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT attribute_revision FROM account WHERE id = ?", arguments: [accountId]) ?? 0
        }
    }

    private static func attribute(from row: Row) throws -> StoredAttribute {
        StoredAttribute(id: row["id"], accountId: row["account_id"], created: row.date("created"),
                        definition: try decodeJSON(AttributeDefinition.self, from: row["definition"]))
    }
}
