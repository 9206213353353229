import Foundation
import Hummingbird
import Storage

/// `GET /v1/applications/{applicationId}/access_logs/no_total`: the Integration API requests, newest first.
struct AccessLogRoutes {
    let store: any Store

    /// `AccessLogEntry`, plus the request's duration, which Talon.One's model lacks.
    struct EntryBody: Encodable, Sendable {
        var uuid: String
        var status: Int
        var method: String
        var requestUri: String
        var time: Date
        var requestPayload: String
        var responsePayload: String
        var durationMs: Double

        init(_ entry: AccessLogEntry) {
            uuid = entry.uuid
            status = entry.status
            method = entry.method
            requestUri = entry.requestUri
            time = entry.time
            requestPayload = entry.requestPayload
            responsePayload = entry.responsePayload
            durationMs = entry.durationMilliseconds
        }
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.get, "/v1/applications/:applicationId/access_logs/no_total") { request, context in
            let application = try await store.application(
                id: context.id("applicationId"), accountId: context.managementCaller().accountId
            )
            let query = request.uri.queryParameters
            let status = query.get("status")
            if let status, !["success", "error"].contains(status) {
                throw APIError.badParameter("status", "must be success or error")
            }
            let filter = AccessLogFilter(
                rangeStart: try request.requiredDateParameter("rangeStart"),
                rangeEnd: try request.requiredDateParameter("rangeEnd"), path: query.get("path"),
                method: query.get("method"), status: status
            )
            let (entries, hasMore) = try await store.accessLogs(
                applicationId: application.id, filter: filter, page: request.pageRequest()
            )
            return try WireCoding.response(ListingWithoutTotal(hasMore: hasMore, data: entries.map(EntryBody.init)))
        }
    }
}
