import Foundation
import Hummingbird

extension Request {
    /// The CSV of an import: a multipart upload's `upFile` part, or the body itself when sent as `text/csv`.
    func uploadedCSV(maxBodySize: Int) async throws -> String {
        let buffer = try await body.collect(upTo: maxBodySize * BodySizeLimitMiddleware.importFactor)
        let data = Data(buffer: buffer)
        let contentType = headers[.contentType] ?? ""
        if contentType.hasPrefix("multipart/form-data") {
            guard let file = Multipart.file(named: "upFile", in: data, contentType: contentType) else {
                throw APIError.badRequest(pointer: "/upFile", "the multipart body has no upFile part")
            }
            return String(decoding: file, as: UTF8.self)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
