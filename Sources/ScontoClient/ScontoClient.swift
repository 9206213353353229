import Foundation
import HTTPTypes
import OpenAPIRuntime
import OpenAPIURLSession

/// Every non-integer JSON number of the API, prices and discounts among them, decoded exactly.
/// (The generated files import single Foundation types, so they name Decimal through this alias.)
public typealias ExactNumber = Decimal

/// How a client proves who it is: the three schemes of Sconto's document (`security` of each operation).
public enum ScontoCredential: Sendable {
    /// No credential: health, metrics, the document and `createSession` (login).
    case none
    /// A management session's token, from `createSession`.
    case session(token: String)
    /// A management key, from `createManagementKey`.
    case managementKey(String)
    /// An application's Integration API key, from `createApiKey`.
    case integrationKey(String)

    var authorization: String? {
        switch self {
        case .none: nil
        case .session(let token): "Bearer \(token)"
        case .managementKey(let key): "ManagementKey-v1 \(key)"
        case .integrationKey(let key): "ApiKey-v1 \(key)"
        }
    }
}

extension Client {
    /// A client of the Sconto server at `serverURL` (its root, such as `http://127.0.0.1:8080`), over URLSession.
    public init(scontoURL serverURL: URL, credential: ScontoCredential = .none) {
        self.init(
            serverURL: serverURL,
            configuration: Configuration(dateTranscoder: RFC3339DateTranscoder()),
            transport: URLSessionTransport(),
            middlewares: [AuthorizationMiddleware(credential: credential)]
        )
    }
}

/// Sets the `Authorization` header: the generator leaves security schemes to middleware.
struct AuthorizationMiddleware: ClientMiddleware {
    let credential: ScontoCredential

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        if let authorization = credential.authorization { request.headerFields[.authorization] = authorization }
        return try await next(request, body, baseURL)
    }
}

/// RFC 3339 dates as Talon.One writes them: with milliseconds when sending, with or without fractions when reading.
struct RFC3339DateTranscoder: DateTranscoder {
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let whole = Date.ISO8601FormatStyle()

    func encode(_ date: Date) throws -> String { Self.fractional.format(date) }

    func decode(_ text: String) throws -> Date {
        if let date = try? Self.fractional.parse(text) { return date }
        return try Self.whole.parse(text)
    }
}
