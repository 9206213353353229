import Foundation
import PromotionEngine
import Storage

extension PostgresStore: CustomerDataListing {
    public func sessions(applicationId: Int64, filter: SessionFilter, page: PageRequest) async throws
        -> Page<StoredSession>
    {
        var conditions = ["s.application_id = ?"]
        var arguments: SQLArguments = [applicationId]
        if let profile = filter.profileId { conditions.append("s.profile_integration_id = ?"); arguments.append(profile) }
        if let state = filter.state { conditions.append("s.state = ?"); arguments.append(state.rawValue) }
        if let before = filter.createdBefore { conditions.append("s.created < ?"); arguments.append(before) }
        if let after = filter.createdAfter { conditions.append("s.created > ?"); arguments.append(after) }
        if let before = filter.updatedBefore { conditions.append("s.updated < ?"); arguments.append(before) }
        if let after = filter.updatedAfter { conditions.append("s.updated > ?"); arguments.append(after) }
        if let afterId = filter.afterId { conditions.append("s.id > ?"); arguments.append(afterId) }
        if let id = filter.integrationId {
            conditions.append(filter.partialMatch ? "strpos(s.integration_id, ?) > 0" : "s.integration_id = ?")
            arguments.append(id)
        }
        if let coupon = filter.coupon {
            let match = filter.partialMatch ? "strpos(code.value, ?) > 0" : "code.value = ?"
            conditions.append("""
                EXISTS (SELECT 1 FROM jsonb_array_elements_text(s.body::jsonb -> 'couponCodes') AS code(value)
                    WHERE \(match))
                """)
            arguments.append(coupon)
        }
        let order = try listingOrder(
            page.sort, allowed: ["id": "s.id", "created": "s.created", "state": "s.state", "updated": "s.updated"],
            default: "s.id"
        ).replacingOccurrences(of: ", id ASC", with: ", s.id ASC")
        let whereClause = conditions.joined(separator: " AND ")
        let listArguments = arguments + [page.pageSize, page.skip]
        let countArguments = arguments
        let countsTotal = filter.countsTotal
        return try await read { db in
            let total = countsTotal ? try await db.value(
                Int.self, "SELECT COUNT(*) FROM customer_session s WHERE \(whereClause)", countArguments
            ) ?? 0 : 0
            let rows = try await db.rows("""
                SELECT s.*, p.id AS profile_internal_id FROM customer_session s
                LEFT JOIN customer_profile p
                    ON p.application_id = s.application_id AND p.integration_id = s.profile_integration_id
                WHERE \(whereClause) \(order) LIMIT ? OFFSET ?
                """, listArguments)
            return Page(items: try rows.map(Self.storedSession(from:)), totalCount: total)
        }
    }

    public func storedSession(applicationId: Int64, id: Int64) async throws -> StoredSession {
        try await read { db in
            guard let row = try await db.row("""
                SELECT s.*, p.id AS profile_internal_id FROM customer_session s
                LEFT JOIN customer_profile p
                    ON p.application_id = s.application_id AND p.integration_id = s.profile_integration_id
                WHERE s.application_id = ? AND s.id = ?
                """, [applicationId, id])
            else { throw StoreError.notFound(entity: "customer session") }
            return try Self.storedSession(from: row)
        }
    }

    public func profiles(applicationId: Int64, integrationId: String?, page: PageRequest) async throws
        -> Page<CustomerProfile>
    {
        var condition = "application_id = ?"
        var arguments: SQLArguments = [applicationId]
        if let integrationId {
            condition += " AND integration_id = ?"
            arguments.append(integrationId)
        }
        let order = try listingOrder(
            page.sort, allowed: ["id": "id", "created": "created", "lastActivity": "last_activity"], default: "id"
        )
        let countArguments = arguments
        let listArguments = arguments + [page.pageSize, page.skip]
        let whereClause = condition
        return try await read { db in
            let total = try await db.value(Int.self, "SELECT COUNT(*) FROM customer_profile WHERE \(whereClause)",
                                           countArguments) ?? 0
            let rows = try await db.rows("SELECT * FROM customer_profile WHERE \(whereClause) \(order) LIMIT ? OFFSET ?",
                                         listArguments)
            return Page(items: try rows.map(Self.profile(from:)), totalCount: total)
        }
    }

    public func profile(applicationId: Int64, id: Int64) async throws -> CustomerProfile {
        try await read { db in
            guard let row = try await db.row("SELECT * FROM customer_profile WHERE application_id = ? AND id = ?",
                                             [applicationId, id])
            else { throw StoreError.notFound(entity: "customer profile") }
            return try Self.profile(from: row)
        }
    }

    public func events(applicationId: Int64, filter: EventFilter, page: PageRequest) async throws
        -> (events: [SessionEvent], hasMore: Bool)
    {
        var conditions = ["application_id = ?"]
        var arguments: SQLArguments = [applicationId]
        if let type = filter.type { conditions.append("type = ?"); arguments.append(type) }
        if let before = filter.createdBefore { conditions.append("created < ?"); arguments.append(before) }
        if let after = filter.createdAfter { conditions.append("created > ?"); arguments.append(after) }
        if let session = filter.sessionId { conditions.append("session_integration_id = ?"); arguments.append(session) }
        if let profile = filter.profileId { conditions.append("profile_integration_id = ?"); arguments.append(profile) }
        if let id = filter.integrationId { conditions.append("integration_id = ?"); arguments.append(id) }
        if let effectType = filter.effectType {
            conditions.append(
                "EXISTS (SELECT 1 FROM jsonb_array_elements(effects::jsonb) AS e(value) WHERE e.value ->> 'effectType' = ?)"
            )
            arguments.append(effectType)
        }
        if let after = filter.after {
            conditions.append("(created, id) > (?, ?)")
            arguments += [after.created, after.id]
        }
        // Creation order walks event_application_created (application, created, id): no sort per page.
        let order = filter.chronological ? "ORDER BY created, id" : try listingOrder(
            page.sort, allowed: ["id": "id", "created": "created", "type": "type"], default: "id DESC"
        )
        let listArguments = arguments + [page.pageSize + 1, page.skip]
        let whereClause = conditions.joined(separator: " AND ")
        let withInternalIds = filter.withInternalIds
        let columns = withInternalIds ? eventColumnsWithInternalIds : "*"
        return try await read { db in
            let rows = try await db.rows("SELECT \(columns) FROM event WHERE \(whereClause) \(order) LIMIT ? OFFSET ?",
                                         listArguments)
            let events = try rows.prefix(page.pageSize).map { row in
                var event = try Self.event(from: row)
                if withInternalIds {
                    event.sessionInternalId = try row["session_internal_id"]
                    event.profileInternalId = try row["profile_internal_id"]
                }
                return event
            }
            return (events, rows.count > page.pageSize)
        }
    }

    static func event(from row: Row) throws -> SessionEvent {
        var event = SessionEvent(
            id: try row["id"], applicationId: try row["application_id"],
            type: EventType(rawValue: try row["type"]), sessionId: try row["session_integration_id"],
            profileId: try row["profile_integration_id"],
            attributes: try StoredJSON.decode([String: JSONValue].self, from: try row["attributes"]),
            effects: try StoredJSON.decode([Effect].self, from: try row["effects"]), created: try row.date("created")
        )
        event.integrationId = try row["integration_id"]
        event.connectedSessionId = try row["connected_session_id"]
        return event
    }

    private static func storedSession(from row: Row) throws -> StoredSession {
        StoredSession(
            session: try session(from: row), effects: try StoredJSON.decode([Effect].self, from: try row["effects"]),
            profileInternalId: try row["profile_internal_id"]
        )
    }
}
