import Hummingbird
import Storage

/// `GET /healthz`: 200 once the database answers.
struct HealthRoutes {
    let store: any Store

    func register(on routes: RouteRegistrar) {
        routes.on(.get, "/healthz") { _, _ in
            try await store.ping()
            return try WireCoding.response(["status": "ok"])
        }
    }
}
