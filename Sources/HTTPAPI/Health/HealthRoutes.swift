import Hummingbird
import Services
import Storage

/// `GET /healthz`: 200 once the database answers; `GET /metrics`: Prometheus text.
struct HealthRoutes {
    let store: any Store
    let metrics: RequestMetrics

    func register(on routes: RouteRegistrar) {
        routes.on(.get, "/healthz") { _, _ in
            try await store.ping()
            return try WireCoding.response(["status": "ok"])
        }
        routes.on(.get, "/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.prometheusText() + EvaluationTimer.shared.prometheusText())))
        }
    }
}
