import Foundation
import Hummingbird
import NIOCore
import PromotionEngine

extension Request {
    /// Decodes the JSON body as `T`, answering 413 past `limit` bytes and 400 naming the field on bad input.
    func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "request body is larger than \(limit) bytes")
        }
        guard buffer.readableBytes > 0 else {
            throw APIError.badRequest(pointer: "", "request body is empty; a JSON object is required")
        }
        if let pointer = JSONDepth.firstTooDeep(buffer.readableBytesView, limit: JSONValue.maximumDepth) {
            throw APIError.badRequest(pointer: pointer, "nested more than \(JSONValue.maximumDepth) levels deep")
        }
        do {
            return try WireCoding.decoder.decode(T.self, from: buffer)
        } catch let error as DecodingError {
            // The decoder reports a number too big for its field as unreadable JSON, without a path.
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
               let pointer = Self.firstOutOfRangeNumber(in: buffer) {
                throw APIError.badRequest(pointer: pointer, "number is out of range")
            }
            throw APIError(decoding: error)
        }
    }

    /// The pointer of the first number that no integer field (Int64) can hold, if the body is valid JSON.
    private static func firstOutOfRangeNumber(in buffer: ByteBuffer) -> String? {
        guard let root = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView), options: .fragmentsAllowed)
        else { return nil }
        func search(_ value: Any, _ pointer: String) -> String? {
            switch value {
            case let object as [String: Any]:
                for (key, member) in object.sorted(by: { $0.key < $1.key }) {
                    let escaped = key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
                    if let found = search(member, pointer + "/" + escaped) { return found }
                }
                return nil
            case let array as [Any]:
                for (index, element) in array.enumerated() {
                    if let found = search(element, "\(pointer)/\(index)") { return found }
                }
                return nil
            case let number as NSNumber:
                return abs(number.doubleValue) > 9.2e18 ? pointer : nil
            default:
                return nil
            }
        }
        return search(root, "")
    }
}

extension APIError {
    /// Names the offending field of a body that did not decode.
    init(decoding error: DecodingError) {
        func pointer(_ path: [any CodingKey]) -> String {
            path.map { key in
                "/" + (key.intValue.map(String.init) ?? key.stringValue)
                    .replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            self = .badRequest(pointer: pointer(context.codingPath + [key]), "required field is missing")
        case .typeMismatch(let type, let context):
            self = .badRequest(pointer: pointer(context.codingPath), "must be \(Self.typeName(type))")
        case .valueNotFound(let type, let context):
            self = .badRequest(pointer: pointer(context.codingPath), "must be \(Self.typeName(type)), not null")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self = .badRequest(pointer: "", "request body is not valid JSON")
        case .dataCorrupted(let context):
            self = .badRequest(pointer: pointer(context.codingPath), context.debugDescription)
        @unknown default:
            self = .badRequest(pointer: "", "request body could not be read")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Decimal.Type, is Double.Type: "a number"
        case is Date.Type: "an RFC 3339 date-time string"
        case is [Any].Type: "an array"
        default:
            String(describing: type).hasPrefix("Array") ? "an array"
                : String(describing: type).hasPrefix("Dictionary") ? "an object" : "of type \(type)"
        }
    }
}
