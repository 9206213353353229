import Foundation
import Hummingbird
import NIOCore
import Services
import Storage
import Synchronization

/// Records every Integration API request (method, URI, status, duration, payloads) in the access log.
///
/// The request body is collected once here (the handler then reads the same buffer); the response body
/// is captured as it is written, and the entry is handed to the recorder when the last byte is out.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = SContoRequestContext
    let recorder: AccessLogRecorder
    let maxBodySize: Int
    /// Payloads are cut to this many bytes in the log.
    static let payloadLimit = 16 * 1024

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard case .integrationKey(let key) = context.principal else { return try await next(request, context) }
        let start = ContinuousClock.now
        let time = Date()
        var request = request
        var requestBody = ""
        var response: Response
        do {
            // Inside the mapping: a body over the limit answers 413 here rather than reaching the handler empty.
            requestBody = Self.text(try await request.collectBody(upTo: maxBodySize))
            response = try await next(request, context)
        } catch {
            response = try APIError(mapping: error, logger: context.logger).response(from: request, context: context)
        }
        let captured = Mutex(ByteBuffer())
        let entry = EntryStart(
            applicationId: key.applicationId, method: request.method.rawValue, uri: request.uri.description,
            status: response.status.code, time: time, requestBody: requestBody
        )
        let recorder = self.recorder
        let original = response.body.map { buffer in
            captured.withLock { stored in
                if stored.readableBytes < Self.payloadLimit { stored.writeImmutableBuffer(buffer) }
            }
            return buffer
        }
        response.body = ResponseBody(contentLength: original.contentLength) { writer in
            let body = original
            try await body.write(writer)
            // The last byte is out: the duration covers encoding and writing too.
            let elapsed = ContinuousClock.now - start
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            recorder.record(entry.finished(
                milliseconds: milliseconds, responseBody: captured.withLock { Self.text($0) }
            ))
        }
        return response
    }

    struct EntryStart: Sendable {
        var applicationId: Int64, method: String, uri: String, status: Int, time: Date, requestBody: String

        func finished(milliseconds: Double, responseBody: String) -> AccessLogEntry {
            AccessLogEntry(
                uuid: UUID().uuidString.lowercased(), applicationId: applicationId, method: method, requestUri: uri,
                status: status, time: time.storagePrecision, durationMilliseconds: milliseconds,
                requestPayload: requestBody, responsePayload: responseBody
            )
        }
    }

    static func text(_ buffer: ByteBuffer) -> String {
        String(buffer: buffer.getSlice(at: buffer.readerIndex, length: min(buffer.readableBytes, payloadLimit)) ?? buffer)
    }
}
