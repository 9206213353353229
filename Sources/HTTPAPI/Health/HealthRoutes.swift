import Hummingbird
import Services
import Storage

/// `GET /healthz` (liveness): 200 once the database answers; `GET /readyz` (readiness, for load balancers):
/// 200 only while the node is warm and not shutting down, else 503; `GET /metrics`: Prometheus text.
struct HealthRoutes {
    let store: any Store
    let metrics: RequestMetrics
    let configuration: APIConfiguration

    func register(on routes: RouteRegistrar) {
        routes.on(.get, "/healthz") { _, _ in
            try await store.ping()
            return try WireCoding.response(["status": "ok"])
        }
        routes.on(.get, "/readyz") { _, _ in
            try await store.ping()
            switch configuration.readiness?.current ?? .ready {
            case .ready: return try WireCoding.response(["status": "ready"])
            case .starting: throw APIError(.serviceUnavailable, "not ready: warming caches")
            case .draining: throw APIError(.serviceUnavailable, "not ready: shutting down")
            }
        }
        routes.on(.get, "/metrics") { request, context in
            try authorizeMetrics(request, context)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.prometheusText() + EvaluationTimer.shared.prometheusText())))
        }
    }

    /// With `--metrics-token`, the scraper must send it as `Authorization: Bearer`; without one, metrics
    /// are served to this machine only (they name routes and traffic volumes).
    private func authorizeMetrics(_ request: Request, _ context: SContoRequestContext) throws {
        if let token = configuration.metricsToken {
            let sent = request.headers[.authorization] ?? ""
            guard Secret.storageHash(sent) == Secret.storageHash("Bearer \(token)") else { throw APIError.unauthorized }
        } else if let address = context.clientAddress, !Self.isLoopback(address) {
            throw APIError.forbidden("metrics are served to localhost only; set --metrics-token to scrape remotely")
        }
    }

    static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.") || address.hasPrefix("::ffff:127.")
    }
}
