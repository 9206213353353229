import Foundation
import PromotionEngine

/// Attributes as stored text (a profile's `attributes`, an event's), written and read directly: the text
/// `StoredJSON.encode` writes for them, the values `StoredJSON.decode` reads, a `DecodingError` for what it refuses.
public enum StoredAttributes {
    public static func text(_ attributes: [String: JSONValue]) -> String {
        var writer = JSONByteWriter(capacity: 2 + attributes.count * 48)
        writer.write(attributes)
        return writer.text
    }

    public static func read(_ text: String) throws -> [String: JSONValue] {
        if text == "{}" { return [:] }
        return try JSONScanner.read(text) { try $0.readObject(depth: 0) }
    }
}
