import Foundation
import Storage

extension PostgresStore: AccessLogStore {
    public func appendAccessLogs(_ entries: [AccessLogEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await write { db in
            for entry in entries {
                try await db.execute("""
                    INSERT INTO access_log (uuid, application_id, method, request_uri, status, time, duration_ms,
                        request_payload, response_payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [entry.uuid, entry.applicationId, entry.method, entry.requestUri, entry.status, entry.time,
                          entry.durationMilliseconds, entry.requestPayload, entry.responsePayload])
            }
        }
    }

    public func accessLogs(applicationId: Int64, filter: AccessLogFilter, page: PageRequest) async throws
        -> (entries: [AccessLogEntry], hasMore: Bool)
    {
        var conditions = ["application_id = ?", "time >= ?", "time <= ?"]
        var arguments: SQLArguments = [applicationId, filter.rangeStart, filter.rangeEnd]
        if let path = filter.path, !path.isEmpty {
            conditions.append("strpos(request_uri, ?) > 0")
            arguments.append(path)
        }
        if let method = filter.method, !method.isEmpty {
            conditions.append("method = ?")
            arguments.append(method.uppercased())
        }
        switch filter.status {
        case "success": conditions.append("status < 400")
        case "error": conditions.append("status >= 400")
        default: break
        }
        let order = try listingOrder(
            page.sort, allowed: ["time": "time", "status": "status", "method": "method"], default: "time DESC, id DESC"
        )
        arguments += [page.pageSize + 1, page.skip]
        let sql = "SELECT * FROM access_log WHERE \(conditions.joined(separator: " AND ")) \(order) LIMIT ? OFFSET ?"
        let finalArguments = arguments
        return try await read { db in
            let rows = try await db.rows(sql, finalArguments)
            let entries = try rows.prefix(page.pageSize).map { row in
                AccessLogEntry(
                    uuid: try row["uuid"], applicationId: try row["application_id"], method: try row["method"],
                    requestUri: try row["request_uri"], status: try row["status"], time: try row.date("time"),
                    durationMilliseconds: try row["duration_ms"], requestPayload: try row["request_payload"],
                    responsePayload: try row["response_payload"]
                )
            }
            return (Array(entries), rows.count > page.pageSize)
        }
    }

    public func pruneAccessLogs(before cutoff: Date) async throws -> Int {
        try await write { db in try await db.changes("DELETE FROM access_log WHERE time < ? RETURNING 1", [cutoff]) }
    }
}
