import Foundation
import PromotionEngine

/// A cart item in the stored session's text: the members `JSONEncoder` writes for it (sorted, nil ones absent),
/// read back as its synthesized `Decodable` reads them.
extension CartItem {
    func write(to writer: inout JSONByteWriter) {
        writer.beginObject()
        if let additionalCosts {
            writer.field("additionalCosts")
            writer.write(additionalCosts, value: SessionDocument.write)
        }
        if let attributes {
            writer.field("attributes")
            writer.write(attributes)
        }
        Self.write("category", category, to: &writer)
        Self.write("height", height, to: &writer)
        Self.write("length", length, to: &writer)
        Self.write("name", name, to: &writer)
        Self.write("position", position, to: &writer)
        Self.write("price", price, to: &writer)
        writer.field("quantity")
        writer.write(quantity)
        Self.write("remainingQuantity", remainingQuantity, to: &writer)
        Self.write("returnedQuantity", returnedQuantity, to: &writer)
        writer.field("sku")
        writer.write(sku)
        Self.write("weight", weight, to: &writer)
        Self.write("width", width, to: &writer)
        writer.endObject()
    }

    private static func write(_ field: StaticString, _ value: String?, to writer: inout JSONByteWriter) {
        guard let value else { return }
        writer.field(field)
        writer.write(value)
    }

    private static func write(_ field: StaticString, _ value: Decimal?, to writer: inout JSONByteWriter) {
        guard let value else { return }
        writer.field(field)
        writer.write(value)
    }

    private static func write(_ field: StaticString, _ value: Int?, to writer: inout JSONByteWriter) {
        guard let value else { return }
        writer.field(field)
        writer.write(value)
    }

    static func read(_ scanner: inout JSONScanner) throws -> CartItem {
        var sku: String?, quantity: Int?, name: String?, price: Decimal?, category: String?
        var weight: Decimal?, height: Decimal?, width: Decimal?, length: Decimal?, position: Int?
        var attributes: [String: JSONValue]?, additionalCosts: [String: AdditionalCost]?
        var returnedQuantity: Int?, remainingQuantity: Int?
        try scanner.beginObject()
        var first = true
        while let key = try scanner.nextKey(first: &first) {
            if scanner.matches(key, "sku") {
                sku = try scanner.required("sku") { try $0.readString() }
            } else if scanner.matches(key, "quantity") {
                quantity = try scanner.required("quantity") { try $0.readInt() }
            } else if scanner.matches(key, "price") {
                price = try scanner.optional { try $0.readDecimal() }
            } else if scanner.matches(key, "name") {
                name = try scanner.optional { try $0.readString() }
            } else if scanner.matches(key, "category") {
                category = try scanner.optional { try $0.readString() }
            } else if scanner.matches(key, "attributes") {
                // cartItems / index / attributes: the coding path `JSONDecoder` counts depth from.
                attributes = try scanner.optional { try $0.readObject(depth: 3) }
            } else if scanner.matches(key, "position") {
                position = try scanner.optional { try $0.readInt() }
            } else if scanner.matches(key, "weight") {
                weight = try scanner.optional { try $0.readDecimal() }
            } else if scanner.matches(key, "height") {
                height = try scanner.optional { try $0.readDecimal() }
            } else if scanner.matches(key, "width") {
                width = try scanner.optional { try $0.readDecimal() }
            } else if scanner.matches(key, "length") {
                length = try scanner.optional { try $0.readDecimal() }
            } else if scanner.matches(key, "additionalCosts") {
                additionalCosts = try scanner.optional { try $0.readDictionary(SessionDocument.readCost) }
            } else if scanner.matches(key, "returnedQuantity") {
                returnedQuantity = try scanner.optional { try $0.readInt() }
            } else if scanner.matches(key, "remainingQuantity") {
                remainingQuantity = try scanner.optional { try $0.readInt() }
            } else {
                try scanner.skipValue()
            }
        }
        guard let sku else { throw JSONScanner.missing("sku") }
        guard let quantity else { throw JSONScanner.missing("quantity") }
        var item = CartItem(name: name, sku: sku, quantity: quantity, price: price, category: category)
        (item.weight, item.height, item.width, item.length, item.position) = (weight, height, width, length, position)
        (item.attributes, item.additionalCosts) = (attributes, additionalCosts)
        (item.returnedQuantity, item.remainingQuantity) = (returnedQuantity, remainingQuantity)
        return item
    }
}
