import Hummingbird
import PromotionEngine

/// An error that answers the client in Talon.One's `ErrorResponseWithStatus` shape.
///
/// Everything a handler throws ends up as one of these (see ``ErrorMiddleware``), so every failing
/// response, from a missing field to an unknown route, has the same shape.
public struct APIError: Error, Sendable {
    public struct Item: Sendable, Encodable {
        public struct Source: Sendable, Encodable {
            public var pointer: String?
            public var parameter: String?
        }

        public var title: String
        public var details: String?
        public var source: Source
    }

    public var status: HTTPResponse.Status
    public var message: String
    public var errors: [Item]
    /// Extra response headers (`Retry-After` on 429).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: String, errors: [Item] = []) {
        self.status = status
        self.message = message
        self.errors = errors
    }

    public static func badRequest(pointer: String, _ message: String) -> APIError {
        APIError(.badRequest, "\(pointer.isEmpty ? "body" : pointer): \(message)", errors: [
            Item(title: message, details: message, source: .init(pointer: pointer))
        ])
    }

    public static func badParameter(_ name: String, _ message: String) -> APIError {
        APIError(.badRequest, "\(name): \(message)", errors: [
            Item(title: message, details: message, source: .init(parameter: name))
        ])
    }

    public static func validation(_ issues: [ValidationIssue]) -> APIError {
        APIError(
            .badRequest, issues.map(\.description).joined(separator: "; "),
            errors: issues.map { Item(title: $0.message, details: $0.message, source: .init(pointer: $0.pointer)) }
        )
    }

    public static func notFound(_ what: String) -> APIError { APIError(.notFound, "\(what) not found") }
    public static let unauthorized = APIError(.unauthorized, "unauthorized: missing, invalid or expired credentials")
    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, message) }

    /// 429 with `Retry-After` in whole seconds (at least one).
    public static func tooManyRequests(_ message: String, retryAfter seconds: Double) -> APIError {
        var error = APIError(.tooManyRequests, message)
        error.headers[.retryAfter] = String(max(1, Int(seconds.rounded(.up))))
        return error
    }
}

extension APIError: HTTPResponseError {
    private struct Body: Encodable {
        var message: String
        var errors: [Item]
        var StatusCode: Int
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(message: message, errors: errors, StatusCode: status.code)
        let buffer = (try? WireCoding.encoder.encodeAsByteBuffer(body, allocator: ByteBufferAllocator()))
            ?? ByteBuffer(string: message)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: buffer))
    }
}
