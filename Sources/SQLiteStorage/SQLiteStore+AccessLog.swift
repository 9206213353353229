import Foundation
import GRDB
import Storage

extension SQLiteStore: AccessLogStore {
    public func appendAccessLogs(_ entries: [AccessLogEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await pool.write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO access_log (uuid, application_id, method, request_uri, status, time, duration_ms,
                    request_payload, response_payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for entry in entries {
                try statement.execute(arguments: [
                    entry.uuid, entry.applicationId, entry.method, entry.requestUri, entry.status, entry.time.storedText,
                    entry.durationMilliseconds, entry.requestPayload, entry.responsePayload,
                ])
            }
        }
    }

    public func accessLogs(applicationId: Int64, filter: AccessLogFilter, page: PageRequest) async throws
        -> (entries: [AccessLogEntry], hasMore: Bool)
    {
        var conditions = ["application_id = ?", "time >= ?", "time <= ?"]
        var arguments: StatementArguments = [applicationId, filter.rangeStart, filter.rangeEnd]
        if let path = filter.path, !path.isEmpty {
            conditions.append("instr(request_uri, ?) > 0")
            arguments += [path]
        }
        if let method = filter.method, !method.isEmpty {
            conditions.append("method = ?")
            arguments += [method.uppercased()]
        }
        switch filter.status {
        case "success": conditions.append("status < 400")
        case "error": conditions.append("status >= 400")
        default: break
        }
        let order = try Self.orderClause(
            page.sort, allowed: ["time": "time", "status": "status", "method": "method"], default: "time DESC, id DESC"
        )
        arguments += [page.pageSize + 1, page.skip]
        let sql = "SELECT * FROM access_log WHERE \(conditions.joined(separator: " AND ")) \(order) LIMIT ? OFFSET ?"
        let finalArguments = arguments
        return try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: sql, arguments: finalArguments)
            let entries = rows.prefix(page.pageSize).map { row in
                AccessLogEntry(
                    uuid: row["uuid"], applicationId: row["application_id"], method: row["method"],
                    requestUri: row["request_uri"], status: row["status"], time: row.date("time"),
                    durationMilliseconds: row["duration_ms"], requestPayload: row["request_payload"],
                    responsePayload: row["response_payload"]
                )
            }
            return (Array(entries), rows.count > page.pageSize)
        }
    }

    public func pruneAccessLogs(before cutoff: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM access_log WHERE time < ?", arguments: [cutoff])
            return db.changesCount
        }
    }
}
