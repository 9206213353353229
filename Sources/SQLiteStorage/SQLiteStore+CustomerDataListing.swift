import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: CustomerDataListing {
    public func sessions(applicationId: Int64, filter: SessionFilter, page: PageRequest) async throws
        -> Page<StoredSession>
    {
        var conditions = ["s.application_id = ?"]
        var arguments: StatementArguments = [applicationId]
        if let profile = filter.profileId { conditions.append("s.profile_integration_id = ?"); arguments += [profile] }
        if let state = filter.state { conditions.append("s.state = ?"); arguments += [state.rawValue] }
        if let before = filter.createdBefore { conditions.append("s.created < ?"); arguments += [before] }
        if let after = filter.createdAfter { conditions.append("s.created > ?"); arguments += [after] }
        if let before = filter.updatedBefore { conditions.append("s.updated < ?"); arguments += [before] }
        if let after = filter.updatedAfter { conditions.append("s.updated > ?"); arguments += [after] }
        if let afterId = filter.afterId { conditions.append("s.id > ?"); arguments += [afterId] }
        if let id = filter.integrationId {
            conditions.append(filter.partialMatch ? "instr(s.integration_id, ?) > 0" : "s.integration_id = ?")
            arguments += [id]
        }
        if let coupon = filter.coupon {
            let match = filter.partialMatch ? "instr(code.value, ?) > 0" : "code.value = ?"
            conditions.append("EXISTS (SELECT 1 FROM json_each(s.body, '$.couponCodes') AS code WHERE \(match))")
            arguments += [coupon]
        }
        let order = try Self.orderClause(
            page.sort, allowed: ["id": "s.id", "created": "s.created", "state": "s.state", "updated": "s.updated"],
            default: "s.id"
        ).replacingOccurrences(of: ", id ASC", with: ", s.id ASC")
        let whereClause = conditions.joined(separator: " AND ")
        let listArguments = arguments + [page.pageSize, page.skip]
        let countArguments = arguments
        let countsTotal = filter.countsTotal
        return try await pool.read { db in
            let total = countsTotal ? try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM customer_session s WHERE \(whereClause)", arguments: countArguments
            ) ?? 0 : 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.*, p.id AS profile_internal_id FROM customer_session s
                LEFT JOIN customer_profile p
                    ON p.application_id = s.application_id AND p.integration_id = s.profile_integration_id
                WHERE \(whereClause) \(order) LIMIT ? OFFSET ?
                """, arguments: listArguments)
            return Page(items: try rows.map(Self.storedSession(from:)), totalCount: total)
        }
    }

    public func storedSession(applicationId: Int64, id: Int64) async throws -> StoredSession {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT s.*, p.id AS profile_internal_id FROM customer_session s
                LEFT JOIN customer_profile p
                    ON p.application_id = s.application_id AND p.integration_id = s.profile_integration_id
                WHERE s.application_id = ? AND s.id = ?
                """, arguments: [applicationId, id])
            else { throw StoreError.notFound(entity: "customer session") }
            return try Self.storedSession(from: row)
        }
    }

    public func profiles(applicationId: Int64, integrationId: String?, page: PageRequest) async throws
        -> Page<CustomerProfile>
    {
        var condition = "application_id = ?"
        var arguments: StatementArguments = [applicationId]
        if let integrationId {
            condition += " AND integration_id = ?"
            arguments += [integrationId]
        }
        let order = try Self.orderClause(
            page.sort, allowed: ["id": "id", "created": "created", "lastActivity": "last_activity"], default: "id"
        )
        let countArguments = arguments
        let listArguments = arguments + [page.pageSize, page.skip]
        let whereClause = condition
        return try await pool.read { db in
            let total = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM customer_profile WHERE \(whereClause)", arguments: countArguments
            ) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM customer_profile WHERE \(whereClause) \(order) LIMIT ? OFFSET ?",
                arguments: listArguments
            )
            return Page(items: try rows.map(Self.profile(from:)), totalCount: total)
        }
    }

    public func profile(applicationId: Int64, id: Int64) async throws -> CustomerProfile {
        try await pool.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT * FROM customer_profile WHERE application_id = ? AND id = ?",
                arguments: [applicationId, id]
            ) else { throw StoreError.notFound(entity: "customer profile") }
            return try Self.profile(from: row)
        }
    }

    public func events(applicationId: Int64, filter: EventFilter, page: PageRequest) async throws
        -> (events: [SessionEvent], hasMore: Bool)
    {
        var conditions = ["application_id = ?"]
        var arguments: StatementArguments = [applicationId]
        if let type = filter.type { conditions.append("type = ?"); arguments += [type] }
        if let before = filter.createdBefore { conditions.append("created < ?"); arguments += [before] }
        if let after = filter.createdAfter { conditions.append("created > ?"); arguments += [after] }
        if let session = filter.sessionId { conditions.append("session_integration_id = ?"); arguments += [session] }
        if let profile = filter.profileId { conditions.append("profile_integration_id = ?"); arguments += [profile] }
        if let id = filter.integrationId { conditions.append("integration_id = ?"); arguments += [id] }
        if let effectType = filter.effectType {
            conditions.append("EXISTS (SELECT 1 FROM json_each(effects) AS e WHERE json_extract(e.value, '$.effectType') = ?)")
            arguments += [effectType]
        }
        if let after = filter.after { conditions.append("(created, id) > (?, ?)"); arguments += [after.created, after.id] }
        // Creation order walks event_application_created (its implicit rowid breaks ties): no sort per page.
        let order = filter.chronological ? "ORDER BY created, id" : try Self.orderClause(
            page.sort, allowed: ["id": "id", "created": "created", "type": "type"], default: "id DESC"
        )
        let listArguments = arguments + [page.pageSize + 1, page.skip]
        let whereClause = conditions.joined(separator: " AND ")
        let withInternalIds = filter.withInternalIds
        let columns = withInternalIds ? eventColumnsWithInternalIds : "*"
        return try await pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT \(columns) FROM event WHERE \(whereClause) \(order) LIMIT ? OFFSET ?",
                arguments: listArguments
            )
            let events = try rows.prefix(page.pageSize).map { row in
                var event = try Self.event(from: row)
                if withInternalIds {
                    event.sessionInternalId = row["session_internal_id"]
                    event.profileInternalId = row["profile_internal_id"]
                }
                return event
            }
            return (events, rows.count > page.pageSize)
        }
    }

    static func event(from row: Row) throws -> SessionEvent {
        var event = SessionEvent(
            id: row["id"], applicationId: row["application_id"], type: EventType(rawValue: row["type"]),
            sessionId: row["session_integration_id"], profileId: row["profile_integration_id"],
            attributes: try decodeJSON([String: JSONValue].self, from: row["attributes"]),
            effects: try decodeJSON([Effect].self, from: row["effects"]), created: row.date("created")
        )
        event.integrationId = row["integration_id"]
        event.connectedSessionId = row["connected_session_id"]
        return event
    }

    private static func storedSession(from row: Row) throws -> StoredSession {
        StoredSession(
            session: try session(from: row), effects: try decodeJSON([Effect].self, from: row["effects"]),
            profileInternalId: row["profile_internal_id"]
        )
    }
}
