import Hummingbird
import Synchronization

/// The registered (method, path pattern) pairs, so that a path known under another method answers 405.
///
/// Hummingbird's trie answers 404 for both unknown paths and wrong methods; Talon.One clients expect 405.
/// Filled while the router is built (router-wide middleware must exist before the routes it wraps),
/// read afterwards.
final class RouteTable: Sendable {
    private let routes = Mutex<[(method: HTTPRequest.Method, path: String, segments: [Substring])]>([])

    func add(_ method: HTTPRequest.Method, _ path: String) {
        routes.withLock { $0.append((method, path, path.split(separator: "/"))) }
    }

    /// Every registered route, in registration order.
    var all: [(method: HTTPRequest.Method, path: String)] {
        routes.withLock { $0.map { ($0.method, $0.path) } }
    }

    /// The methods registered for a concrete request path.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        return routes.withLock { routes in
            routes.filter { route in
                route.segments.count == segments.count
                    && zip(route.segments, segments).allSatisfy { pattern, actual in
                        pattern.hasPrefix(":") || pattern.hasPrefix("{") || pattern == actual
                    }
            }.map(\.method)
        }
    }
}
