import Foundation

/// One Integration API request as the access log keeps it.
public struct AccessLogEntry: Sendable, Hashable {
    public var uuid: String
    public var applicationId: Int64
    public var method: String
    public var requestUri: String
    public var status: Int
    public var time: Date
    /// Milliseconds from the request's arrival to the response's last byte.
    public var durationMilliseconds: Double
    public var requestPayload: String
    public var responsePayload: String

    public init(uuid: String, applicationId: Int64, method: String, requestUri: String, status: Int, time: Date,
                durationMilliseconds: Double, requestPayload: String, responsePayload: String)
    {
        self.uuid = uuid
        self.applicationId = applicationId
        self.method = method
        self.requestUri = requestUri
        self.status = status
        self.time = time
        self.durationMilliseconds = durationMilliseconds
        self.requestPayload = requestPayload
        self.responsePayload = responsePayload
    }
}

/// Which log entries a listing wants (`GET /v1/applications/{id}/access_logs/no_total`).
public struct AccessLogFilter: Sendable {
    public var rangeStart: Date
    public var rangeEnd: Date
    /// Substring of the request URI (the spec says regular expression; a substring is what SQL indexes serve).
    public var path: String?
    public var method: String?
    /// `success` (< 400) or `error` (≥ 400).
    public var status: String?

    public init(rangeStart: Date, rangeEnd: Date, path: String? = nil, method: String? = nil, status: String? = nil) {
        self.rangeStart = rangeStart
        self.rangeEnd = rangeEnd
        self.path = path
        self.method = method
        self.status = status
    }
}

/// The Integration API's access log, written in batches off the request path.
public protocol AccessLogStore: Sendable {
    func appendAccessLogs(_ entries: [AccessLogEntry]) async throws
    func accessLogs(applicationId: Int64, filter: AccessLogFilter, page: PageRequest) async throws
        -> (entries: [AccessLogEntry], hasMore: Bool)
    /// Drops entries older than `cutoff` (retention); returns how many.
    @discardableResult func pruneAccessLogs(before cutoff: Date) async throws -> Int
}
