import Foundation
import PromotionEngine

/// The stored session's text, written and read directly (`JSONByteWriter`, `JSONScanner`) instead of through
/// `JSONEncoder`/`JSONDecoder` on every session update. Same text as `StoredJSON.encode(SessionDocument)` (sorted
/// keys, absent optionals), same values read from any text either wrote, a `DecodingError` for what it refuses.
extension SessionDocument {
    public var storedText: String {
        var writer = JSONByteWriter(capacity: 320 + cartItems.count * 160)
        writer.beginObject()
        writer.field("additionalCosts")
        writer.write(additionalCosts, value: Self.write)
        writer.field("attributes")
        writer.write(attributes)
        writer.field("cartItems")
        writer.write(cartItems, element: { writer, item in item.write(to: &writer) })
        writer.field("couponCodes")
        writer.write(couponCodes, element: { $0.write($1) })
        writer.field("firstSession")
        writer.write(firstSession)
        writer.field("identifiers")
        writer.write(identifiers, element: { $0.write($1) })
        writer.field("loyaltyCards")
        writer.write(loyaltyCards, element: { $0.write($1) })
        if let profileId {
            writer.field("profileId")
            writer.write(profileId)
        }
        if let referralCode {
            writer.field("referralCode")
            writer.write(referralCode)
        }
        if let storeIntegrationId {
            writer.field("storeIntegrationId")
            writer.write(storeIntegrationId)
        }
        writer.endObject()
        return writer.text
    }

    public init(storedText text: String) throws {
        self = try JSONScanner.read(text, Self.read)
    }

    private static func read(_ scanner: inout JSONScanner) throws -> SessionDocument {
        var cartItems: [CartItem]?, attributes: [String: JSONValue]?, couponCodes: [String]?
        var additionalCosts: [String: AdditionalCost]?, identifiers: [String]?, loyaltyCards: [String]?
        var firstSession: Bool?, profileId: String?, referralCode: String?, storeIntegrationId: String?
        try scanner.beginObject()
        var first = true
        while let key = try scanner.nextKey(first: &first) {
            if scanner.matches(key, "cartItems") {
                cartItems = try scanner.required("cartItems") { try $0.readArray(CartItem.read) }
            } else if scanner.matches(key, "attributes") {
                attributes = try scanner.required("attributes") { try $0.readObject(depth: 1) }
            } else if scanner.matches(key, "couponCodes") {
                couponCodes = try scanner.required("couponCodes", readStrings)
            } else if scanner.matches(key, "profileId") {
                profileId = try scanner.optional { try $0.readString() }
            } else if scanner.matches(key, "additionalCosts") {
                additionalCosts = try scanner.required("additionalCosts") { try $0.readDictionary(readCost) }
            } else if scanner.matches(key, "firstSession") {
                firstSession = try scanner.required("firstSession") { try $0.readBool() }
            } else if scanner.matches(key, "identifiers") {
                identifiers = try scanner.required("identifiers", readStrings)
            } else if scanner.matches(key, "loyaltyCards") {
                loyaltyCards = try scanner.required("loyaltyCards", readStrings)
            } else if scanner.matches(key, "referralCode") {
                referralCode = try scanner.optional { try $0.readString() }
            } else if scanner.matches(key, "storeIntegrationId") {
                storeIntegrationId = try scanner.optional { try $0.readString() }
            } else {
                try scanner.skipValue()
            }
        }
        guard let cartItems else { throw JSONScanner.missing("cartItems") }
        guard let attributes else { throw JSONScanner.missing("attributes") }
        guard let couponCodes else { throw JSONScanner.missing("couponCodes") }
        guard let additionalCosts else { throw JSONScanner.missing("additionalCosts") }
        guard let firstSession else { throw JSONScanner.missing("firstSession") }
        guard let identifiers else { throw JSONScanner.missing("identifiers") }
        guard let loyaltyCards else { throw JSONScanner.missing("loyaltyCards") }
        return SessionDocument(
            profileId: profileId, storeIntegrationId: storeIntegrationId, couponCodes: couponCodes,
            referralCode: referralCode, loyaltyCards: loyaltyCards, cartItems: cartItems,
            additionalCosts: additionalCosts, identifiers: identifiers, attributes: attributes,
            firstSession: firstSession
        )
    }

    private init(profileId: String?, storeIntegrationId: String?, couponCodes: [String], referralCode: String?,
                 loyaltyCards: [String], cartItems: [CartItem], additionalCosts: [String: AdditionalCost],
                 identifiers: [String], attributes: [String: JSONValue], firstSession: Bool)
    {
        (self.profileId, self.storeIntegrationId, self.couponCodes, self.referralCode) =
            (profileId, storeIntegrationId, couponCodes, referralCode)
        (self.loyaltyCards, self.cartItems, self.additionalCosts, self.identifiers) =
            (loyaltyCards, cartItems, additionalCosts, identifiers)
        (self.attributes, self.firstSession) = (attributes, firstSession)
    }

    private static func readStrings(_ scanner: inout JSONScanner) throws -> [String] {
        try scanner.readArray { try $0.readString() }
    }

    static func write(_ writer: inout JSONByteWriter, _ cost: AdditionalCost) {
        writer.beginObject()
        writer.field("price")
        writer.write(cost.price)
        writer.endObject()
    }

    static func readCost(_ scanner: inout JSONScanner) throws -> AdditionalCost {
        var price: Decimal?
        try scanner.beginObject()
        var first = true
        while let key = try scanner.nextKey(first: &first) {
            if scanner.matches(key, "price") {
                price = try scanner.required("price") { try $0.readDecimal() }
            } else {
                try scanner.skipValue()
            }
        }
        guard let price else { throw JSONScanner.missing("price") }
        return AdditionalCost(price: price)
    }
}

extension JSONScanner {
    /// A value that must not be null (`JSONDecoder` throws `valueNotFound` for a null non-optional).
    mutating func required<T>(_ field: String, _ read: (inout JSONScanner) throws -> T) throws -> T {
        if readNull() { throw Self.null(T.self, field) }
        return try read(&self)
    }

    /// An optional value: nil when null, as `decodeIfPresent` reads it.
    mutating func optional<T>(_ read: (inout JSONScanner) throws -> T) throws -> T? {
        readNull() ? nil : try read(&self)
    }
}
