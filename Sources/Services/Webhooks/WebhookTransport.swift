import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PromotionEngine

/// What a receiver answered.
public struct WebhookResponse: Sendable {
    public var status: Int
    public var body: String
}

/// Sends one rendered request (the worker's only way out, so tests can count what leaves).
public protocol WebhookTransport: Sendable {
    func send(_ request: WebhookRequest, extraHeaders: [(String, String)], timeout: Duration) async throws
        -> WebhookResponse
}

/// Foundation's HTTP client (http and https). Redirects are not followed: a redirect could lead past the SSRF
/// guard to an address it refuses.
public final class URLSessionWebhookTransport: NSObject, WebhookTransport, URLSessionTaskDelegate, @unchecked Sendable {
    // URLSession is thread-safe; the delegate keeps no state.
    private lazy var session = URLSession(configuration: .ephemeral, delegate: self, delegateQueue: nil)

    override public init() {}

    public func send(_ request: WebhookRequest, extraHeaders: [(String, String)], timeout: Duration) async throws
        -> WebhookResponse
    {
        guard let url = URL(string: request.url) else { throw URLError(.badURL) }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData,
                                    timeoutInterval: Double(timeout.components.seconds) + 0.001)
        urlRequest.httpMethod = request.method
        for header in request.headers where header.count == 2 { urlRequest.setValue(header[1], forHTTPHeaderField: header[0]) }
        for (name, value) in extraHeaders { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if request.method != "GET" { urlRequest.httpBody = Data(request.body.utf8) }
        let session = self.session
        return try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: urlRequest) { data, response, error in
                if let error { return continuation.resume(throwing: error) }
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                continuation.resume(returning: WebhookResponse(
                    status: status, body: String(decoding: (data ?? Data()).prefix(512), as: UTF8.self)
                ))
            }.resume()
        }
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                           newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void)
    {
        completionHandler(nil)
    }
}
