import Foundation
import Hummingbird
import PromotionEngine

/// JSON as Talon.One writes it: RFC 3339 dates with fractional seconds, numbers as written.
enum WireCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not an RFC 3339 date-time"
                )
            }
            return date
        }
        return decoder
    }()

    /// The session endpoints' answer, on the hot path: effects are written by ``JSONText`` in one pass and
    /// spliced in; the rest (small, mostly absent) goes through the encoder.
    /// - Parameter effectsText: `state.effects` as the commit already serialised them, if it did.
    static func response(_ state: IntegrationStateBody, effectsText: String? = nil) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: try integrationStateBuffer(state, effectsText: effectsText)))
    }

    static func integrationStateBuffer(_ state: IntegrationStateBody, effectsText: String? = nil) throws -> ByteBuffer {
        var rest = state
        rest.encodesEffects = false
        let encoded = try encoder.encode(rest)  // `{"createdCoupons":[],…}`: never empty, it has the created lists
        let effects = effectsText ?? JSONText.effects(state.effects)
        var buffer = ByteBufferAllocator().buffer(capacity: encoded.count + effects.utf8.count + 12)
        buffer.writeString(#"{"effects":"#)
        buffer.writeString(effects)
        buffer.writeString(",")
        buffer.writeBytes(encoded.dropFirst())
        return buffer
    }

    /// A JSON response with the given status.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let buffer = try encoder.encodeAsByteBuffer(value, allocator: ByteBufferAllocator())
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }
}

/// RFC 3339 date-times; lenient on input (fraction and offset optional, a missing offset means UTC).
enum RFC3339 {
    private static let output = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    static func format(_ date: Date) -> String { output.format(date) }

    static func parse(_ text: String) -> Date? {
        var text = text
        if !hasOffset(text) { text += "Z" }
        return (try? withFraction.parse(text)) ?? (try? withoutFraction.parse(text))
    }

    private static func hasOffset(_ text: String) -> Bool {
        if text.hasSuffix("Z") || text.hasSuffix("z") { return true }
        // An offset is a sign after the time part: "…T10:00:00+02:00".
        guard let timeStart = text.firstIndex(of: "T") ?? text.firstIndex(of: "t") else { return true }
        return text[timeStart...].contains("+") || text[timeStart...].contains("-")
    }
}
