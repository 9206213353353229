import Storage
import Foundation
import Hummingbird

/// Sets the request's client address from `X-Forwarded-For` when, and only when, the peer is one of the
/// configured trusted proxies: the client is the rightmost address that is not a trusted proxy (addresses
/// left of it were written by the client itself and prove nothing).
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = SContoRequestContext
    let trustedProxies: [IPBlock]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard !trustedProxies.isEmpty, let peer = context.clientAddress else { return try await next(request, context) }
        var context = context
        context.clientAddress = Self.client(peer: peer, forwardedFor: request.headers[values: .init("X-Forwarded-For")!],
                                            trustedProxies: trustedProxies)
        return try await next(request, context)
    }

    static func client(peer: String, forwardedFor: [String], trustedProxies: [IPBlock]) -> String {
        var client = peer
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in (hops + [peer]).reversed() {
            client = hop
            guard let address = IPAddress(hop), trustedProxies.contains(address) else { break }
        }
        return client
    }
}
