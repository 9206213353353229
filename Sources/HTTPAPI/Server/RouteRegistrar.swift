import Hummingbird

/// Registers routes on a group and remembers them for the 405 check (see ``RouteTable``).
struct RouteRegistrar {
    typealias Context = SContoRequestContext
    typealias Handler = @Sendable (Request, Context) async throws -> Response

    let group: RouterGroup<Context>
    let table: RouteTable

    func on(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        table.add(method, path)
        group.on(RouterPath(path), method: method, use: handler)
    }
}

extension SContoRequestContext {
    /// A path parameter that must be an integer ID; a malformed one answers 400 naming it.
    func id(_ name: String) throws -> Int64 {
        guard let text = parameters.get(name), let value = Int64(text), value > 0 else {
            throw APIError.badParameter(name, "must be a positive integer")
        }
        return value
    }
}
