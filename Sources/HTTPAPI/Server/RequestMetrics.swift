import Foundation
import Hummingbird
import Logging
import Services
import Synchronization

/// Request count and latency per route, method and status, for `GET /metrics`.
///
/// Keyed by the route pattern (`/v2/customer_sessions/{customerSessionId}`), never the concrete path,
/// so the number of series stays bounded by the route table.
public final class RequestMetrics: Sendable {
    struct Series: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    private let series = Mutex<[Series: DurationHistogram]>([:])

    public init() {}

    func record(method: String, route: String, status: Int, duration: Duration) {
        let key = Series(method: method, route: route, status: status)
        series.withLock { $0[key, default: DurationHistogram()].record(duration) }
    }

    /// `sconto_http_requests_total` and `sconto_http_request_duration_seconds` in Prometheus' text format.
    public func prometheusText() -> String {
        let snapshot = series.withLock { $0 }.sorted { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }
        var counts = ["# HELP sconto_http_requests_total HTTP requests answered, per route, method and status.",
                      "# TYPE sconto_http_requests_total counter"]
        var durations = ["# HELP sconto_http_request_duration_seconds Time from request to response head, per route, method and status.",
                         "# TYPE sconto_http_request_duration_seconds histogram"]
        for (key, histogram) in snapshot {
            let labels = "method=\"\(key.method)\",route=\"\(Self.escaped(key.route))\",status=\"\(key.status)\""
            counts.append("sconto_http_requests_total{\(labels)} \(histogram.count)")
            durations += histogram.prometheusLines(name: "sconto_http_request_duration_seconds", labels: labels)
        }
        return (counts + durations).joined(separator: "\n") + "\n"
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}

/// Outermost middleware: times every request, counts it in ``RequestMetrics`` and logs one line with
/// the request id Hummingbird puts in the logger's metadata (`hb.request.id`).
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = SContoRequestContext
    let metrics: RequestMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        var status = 500
        defer {
            let duration = ContinuousClock.now - started
            // Unmatched paths share one series so that probing random URLs cannot grow the metrics.
            let route = context.endpointPath ?? "unmatched"
            metrics.record(method: request.method.rawValue, route: route, status: status, duration: duration)
            if context.logger.logLevel <= .info {
                let (seconds, attoseconds) = duration.components
                let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
                context.logger.info("request", metadata: [
                    "method": .string(request.method.rawValue), "path": .string(request.uri.path),
                    "status": .stringConvertible(status), "duration_ms": .string(String(format: "%.2f", milliseconds)),
                ])
            }
        }
        let response = try await next(request, context)
        status = Int(response.status.code)
        return response
    }
}
