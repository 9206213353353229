import Hummingbird

/// Headers every response carries: `X-Content-Type-Options: nosniff`, and `Cache-Control: no-store`
/// because API answers (logins, new keys, customer data) must never sit in a shared cache.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = SContoRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

/// Answers 413 from `Content-Length` before anything reads the body, on every route, including those
/// that never read one. Coupon and loyalty point imports (CSV files) may be `importFactor` times larger.
struct BodySizeLimitMiddleware: RouterMiddleware {
    typealias Context = SContoRequestContext
    let limit: Int
    static let importFactor = 64

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }) {
            let path = request.uri.path
            let imports = path.hasSuffix("/import_coupons") || path.hasSuffix("/import_points")
            let allowed = imports ? limit * Self.importFactor : limit
            if length > allowed {
                throw APIError(.contentTooLarge, "request body is larger than \(allowed) bytes")
            }
        }
        return try await next(request, context)
    }
}
