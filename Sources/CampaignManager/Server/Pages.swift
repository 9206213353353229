import Foundation
import HTTPAPI
import Hummingbird
import NIOCore
import PromotionEngine
import Storage

/// Responses and request helpers shared by the Campaign Manager's routes.
enum Pages {
    static func html(_ page: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                // Defence in depth behind the escaping: no inline script, no foreign origin, no framing.
                .contentSecurityPolicy: "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: page.rendered))
        )
    }

    static func forbidden(_ message: String) -> Response {
        html(Layout.page(title: "Not allowed", user: nil) {
            tag("p", ["class": "errors", "role": "alert"]) { message }
            tag("p") { tag("a", ["href": "/applications"]) { "Back to the Campaign Manager" } }
        }, status: .forbidden)
    }

    /// The url-encoded form in the body; the body stays readable for the next reader.
    static func form(_ request: inout Request, limit: Int) async throws -> FormData {
        let buffer = try await request.collectBody(upTo: limit)
        return FormData(encoded: String(buffer: buffer))
    }

    /// The logged-in user, as ``ManagerGuard`` admitted them.
    static func user(_ request: Request, _ context: SContoRequestContext) throws -> ManagerLogin.User {
        guard case .user(let userId, let accountId, let tokenHash) = context.principal,
              let token = request.cookies[ManagerLogin.sessionCookie]?.value
        else { throw HTTPError(.unauthorized) }
        return ManagerLogin.User(userId: userId, accountId: accountId, tokenHash: tokenHash,
                                 csrfToken: ManagerLogin.csrfToken(for: token))
    }

    /// A path parameter that must be a number (ids), else 404.
    static func id(_ context: SContoRequestContext, _ name: String) throws -> Int64 {
        guard let value = context.parameters.get(name).flatMap(Int64.init) else { throw HTTPError(.notFound) }
        return value
    }

    /// The logged-in user and the application in the path, looked up in the user's account (404 elsewhere).
    static func application(_ request: Request, _ context: SContoRequestContext, store: any Store) async throws
        -> (ManagerLogin.User, PromotionEngine.Application)
    {
        let user = try user(request, context)
        return (user, try await store.application(id: id(context, "applicationId"), accountId: user.accountId))
    }

    /// A query parameter, trimmed; nil when absent or empty.
    static func query(_ request: Request, _ name: String) -> String? {
        guard let value = request.uri.queryParameters.get(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty
        else { return nil }
        return value
    }

    /// The page of a list the query asks for (`page`, 0-based) at `path` with the query's other parameters.
    static func paging(_ request: Request, keeping names: [String]) -> Paging {
        let kept = names.compactMap { name in
            query(request, name).map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        }
        let number = query(request, "page").flatMap(Int.init).map { min(max($0, 0), 10_000) } ?? 0
        return Paging(number: number, path: request.uri.path + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&")))
    }

    /// JSON values as compact text with sorted keys, for showing props, attributes and payloads.
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
