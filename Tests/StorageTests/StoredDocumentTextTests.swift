import Foundation
@testable import PromotionEngine
import Storage
import Testing

/// The direct codec of the stored session and profile attributes against Foundation's `JSONEncoder`/`JSONDecoder`,
/// which wrote and read them before: the same text, the same values either way, the same refusals.
@Suite struct StoredDocumentTextTests {
    @Test func decimalStorageLayoutIsRecognised() {
        // Without it every decimal would silently take the slow `description` path.
        #expect(DecimalText.layoutIsKnown)
    }

    @Test func decimalsReadAndWriteAsFoundationDoes() throws {
        var random = SeededRandom(seed: 17)
        var texts = ["0", "-0", "1", "-1", "0.5", "1.50", "100", "0.000", "-0.0", "10.010", "9223372036854775807",
                     "18446744073709551615", "18446744073709551616", "9999999999999999999", "0.0000000000000000001",
                     "123456789012345678901234567890", "1e3", "-2.5E-3", "1E+2", "0e5", "12345678901234567890.5"]
        for _ in 0..<3000 { texts.append(random.numberText()) }
        for text in texts {
            let foundation = try JSONDecoder().decode(Decimal.self, from: Data(text.utf8))
            let direct = try JSONScanner.read(text) { try $0.readDecimal() }
            #expect(bits(direct) == bits(foundation), "\(text): \(direct) vs \(foundation)")
            let column = try #require(DecimalText.read(text))
            #expect(bits(column) == bits(try #require(Decimal(string: text))), "\(text)")
            #expect(written(foundation) == foundation.description, "\(text)")
        }
        // Decimals made by arithmetic are not compact (3.0 is 30e-1), or use the whole significand (1/3).
        for _ in 0..<2000 {
            let value = random.decimal() * Decimal(Int.random(in: -40...40, using: &random))
            #expect(written(value) == value.description)
        }
        for divisor in [3, 7, 9, 11, 13, -3] {
            let value = Decimal(1) / Decimal(divisor)
            #expect(written(value) == value.description)
        }
    }

    @Test func sessionTextIsJSONEncodersText() throws {
        var random = SeededRandom(seed: 1)
        for _ in 0..<600 {
            let document = SessionDocument(random.session())
            #expect(document.storedText == (try StoredJSON.encode(document)))
        }
    }

    @Test func sessionsReadBackEqualWhicheverCodecWroteThem() throws {
        var random = SeededRandom(seed: 2)
        for _ in 0..<600 {
            let session = random.session()
            let foundationText = try StoredJSON.encode(SessionDocument(session))
            let directText = SessionDocument(session).storedText
            #expect(restored(try SessionDocument(storedText: foundationText)) == session)
            #expect(restored(try StoredJSON.decode(SessionDocument.self, from: directText)) == session)
            // Equal to the last digit of every decimal: what was read writes the same text again.
            #expect(try StoredJSON.encode(SessionDocument(storedText: foundationText)) == foundationText)
        }
    }

    @Test func readsTheTextOfOtherWriters() throws {
        // PostgreSQL's jsonb (`jsonb_set(body::jsonb, …)::text`) spaces and reorders; pretty printing indents.
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted]
        var random = SeededRandom(seed: 3)
        for _ in 0..<200 {
            let session = random.session()
            let text = String(decoding: try pretty.encode(SessionDocument(session)), as: UTF8.self)
            #expect(restored(try SessionDocument(storedText: text)) == session)
        }
        let jsonb = #"{"cartItems": [{"sku": "a\/b", "price": 12.50, "quantity": 2.0}], "attributes": {"x": [1, {"y": null}]}, "identifiers": [], "couponCodes": ["\u00e9"], "firstSession": false, "loyaltyCards": [], "additionalCosts": {"ship": {"price": 4.90}}, "unknownLater": {"z": [true]}}"#
        let read = try SessionDocument(storedText: jsonb)
        #expect(try StoredJSON.encode(read) == (try StoredJSON.encode(StoredJSON.decode(SessionDocument.self, from: jsonb))))
    }

    @Test func attributesTextAndValuesMatchFoundation() throws {
        var random = SeededRandom(seed: 4)
        for _ in 0..<800 {
            let attributes = random.attributes(depth: 3)
            let foundationText = try StoredJSON.encode(attributes)
            #expect(StoredAttributes.text(attributes) == foundationText)
            #expect(try StoredAttributes.read(foundationText) == attributes)
            #expect(try StoredJSON.encode(StoredAttributes.read(foundationText)) == foundationText)
        }
    }

    @Test func refusesWhatJSONDecoderRefuses() throws {
        let valid = #"{"additionalCosts":{},"attributes":{"k":"v"},"cartItems":[{"price":1.5,"quantity":1,"sku":"s"}],"couponCodes":[],"firstSession":true,"identifiers":[],"loyaltyCards":[]}"#
        let edits: [(String, String)] = [
            (#""couponCodes":[],"#, ""),  // a required member missing
            (#""couponCodes":[]"#, #""couponCodes":null"#),
            (#""sku":"s""#, #""sku":1"#),
            (#""quantity":1"#, #""quantity":1.5"#),
            (#""quantity":1"#, #""quantity":"1""#),
            (#""price":1.5"#, #""price":01.5"#),
            (#""price":1.5"#, #""price":1e999"#),
            (#""price":1.5"#, #""price":"1.5""#),
            (#""firstSession":true"#, #""firstSession":1"#),
            (#""v""#, #""\ud800""#),  // a lone surrogate
            (#""v""#, #""\x""#),
            (#""v""#, "\"a\u{1}b\""),
            (#""v""#, "tru"),
        ]
        var malformed: [String] = ["", " ", "null", "[]", "{", "}", valid + "x", valid + "{}", String(valid.dropLast())]
        for (old, new) in edits { malformed.append(valid.replacingOccurrences(of: old, with: new)) }
        for text in malformed {
            #expect(throws: DecodingError.self, "\(text)") { try StoredJSON.decode(SessionDocument.self, from: text) }
            #expect(throws: DecodingError.self, "\(text)") { try SessionDocument(storedText: text) }
        }
        for end in valid.indices.dropLast() {
            #expect(throws: DecodingError.self) { try SessionDocument(storedText: String(valid[..<end])) }
        }
        // JSONDecoder takes a comma before a closing bracket; so does the direct reader.
        for text in [#"{"a":1,}"#, #"{"a":[1,],}"#] {
            #expect(try StoredAttributes.read(text) == StoredJSON.decode([String: JSONValue].self, from: text))
        }
        for text in ["", "{", #"{"a":}"#, #"{"a":1,,}"#, #"{,}"#, "[1]", #"{"a":nul}"#, #"{"a":"\u12"}"#] {
            #expect(throws: DecodingError.self, "\(text)") { try StoredJSON.decode([String: JSONValue].self, from: text) }
            #expect(throws: DecodingError.self, "\(text)") { try StoredAttributes.read(text) }
        }
    }

    /// Random edits of a valid document: whenever Foundation reads the result, the direct reader reads the same
    /// values; whenever it refuses, the direct reader refuses too, with a `DecodingError`.
    @Test func agreesWithJSONDecoderOnEditedText() throws {
        var random = SeededRandom(seed: 5)
        let alphabet = Array(#"{}[]:,"\/0123456789.-+eEtruefalsn xyz"#.utf8)
        for _ in 0..<1500 {
            var bytes = Array(SessionDocument(random.session()).storedText.utf8)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = alphabet.randomElement(using: &random)!
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let foundation = Result<SessionDocument, any Error> { try StoredJSON.decode(SessionDocument.self, from: text) }
            let direct = Result<SessionDocument, any Error> { try SessionDocument(storedText: text) }
            switch (foundation, direct) {
            case (.success(let expected), .success(let read)):
                #expect(try StoredJSON.encode(read) == (try StoredJSON.encode(expected)), "\(text)")
            case (.failure, .failure(let error)):
                #expect(error is DecodingError, "\(text)")
            default:
                Issue.record("Foundation \(foundation), direct \(direct): \(text)")
            }
        }
    }

    @Test func nestingLimitIsJSONDecoders() throws {
        // The limit counts the coding path from the document's root, as JSONValue's Decodable does.
        func nested(_ levels: Int) -> String { String(repeating: "[", count: levels) + String(repeating: "]", count: levels) }
        func session(attributes: String, item: String) -> String {
            #"{"additionalCosts":{},"attributes":{"a":\#(attributes)},"cartItems":[{"attributes":{"b":\#(item)},"quantity":1,"sku":"s"}],"couponCodes":[],"firstSession":false,"identifiers":[],"loyaltyCards":[]}"#
        }
        for levels in 58...66 {
            for text in [session(attributes: nested(levels), item: "1"), session(attributes: "1", item: nested(levels))] {
                let foundation = Result<SessionDocument, any Error> { try StoredJSON.decode(SessionDocument.self, from: text) }
                let direct = Result<SessionDocument, any Error> { try SessionDocument(storedText: text) }
                #expect(((try? foundation.get()) == nil) == ((try? direct.get()) == nil), "\(levels) levels")
            }
            let profile = #"{"a":\#(nested(levels))}"#
            #expect((try? StoredJSON.decode([String: JSONValue].self, from: profile)) == (try? StoredAttributes.read(profile)))
        }
        // Both sides of the limit are exercised: [attributes, a] plus 62 more levels is 64 deep.
        _ = try SessionDocument(storedText: session(attributes: nested(63), item: "1"))
        #expect(throws: DecodingError.self) { try SessionDocument(storedText: session(attributes: nested(64), item: "1")) }
    }
}

// MARK: Helpers

private func bits(_ value: Decimal) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }

private func written(_ value: Decimal) -> String {
    var bytes: [UInt8] = []
    DecimalText.write(value, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}

private let epoch = Date(timeIntervalSince1970: 1_764_000_000)

private func restored(_ document: SessionDocument) -> CustomerSession {
    document.session(id: 1, integrationId: "s", applicationId: 1, state: "open", updateCount: 0, created: epoch,
                     updated: epoch)
}

/// Knuth's MMIX linear congruential generator, high bits folded in: the same sequence on every run, so a
/// failure reproduces.
private struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &self) < percent }

    /// Escapes, controls, the slash JSONEncoder escapes, combining marks, astral characters, line separators.
    mutating func string() -> String {
        let pool: [String] = ["a", "Z", "_", "0", "9", " ", "\"", "\\", "/", "\n", "\t", "\r", "\u{0}", "\u{8}",
                              "\u{C}", "\u{1F}", "\u{7F}", "é", "e\u{301}", "中", "😀", "\u{2028}", "ß", "~"]
        return (0..<Int.random(in: 0...10, using: &self)).map { _ in pool.randomElement(using: &self)! }.joined()
    }

    mutating func numberText() -> String {
        var text = chance(30) ? "-" : ""
        let integerDigits = Int.random(in: 1...(chance(10) ? 30 : 8), using: &self)
        text += integerDigits == 1 ? String(Int.random(in: 0...9, using: &self))
            : String(Int.random(in: 1...9, using: &self))
                + (1..<integerDigits).map { _ in String(Int.random(in: 0...9, using: &self)) }.joined()
        if chance(60) {
            text += "." + (0..<Int.random(in: 1...12, using: &self)).map { _ in
                chance(25) ? "0" : String(Int.random(in: 0...9, using: &self))
            }.joined()
        }
        if chance(5) { text += (chance(50) ? "e" : "E-") + String(Int.random(in: 0...20, using: &self)) }
        return text
    }

    mutating func decimal() -> Decimal { Decimal(string: numberText())! }

    mutating func value(depth: Int) -> JSONValue {
        switch Int.random(in: 0..<(depth > 0 ? 7 : 5), using: &self) {
        case 0: .null
        case 1: .bool(chance(50))
        case 2, 3: .number(decimal())
        case 4: .string(string())
        case 5: .array((0..<Int.random(in: 0...3, using: &self)).map { _ in value(depth: depth - 1) })
        default: .object(attributes(depth: depth - 1))
        }
    }

    mutating func attributes(depth: Int) -> [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        for _ in 0..<Int.random(in: 0...4, using: &self) { members[string()] = value(depth: depth) }
        return members
    }

    mutating func costs() -> [String: AdditionalCost] {
        var costs: [String: AdditionalCost] = [:]
        for _ in 0..<Int.random(in: 0...2, using: &self) { costs[string()] = AdditionalCost(price: decimal()) }
        return costs
    }

    mutating func optional<T>(_ make: (inout SeededRandom) -> T) -> T? { chance(50) ? make(&self) : nil }

    mutating func item() -> CartItem {
        var item = CartItem(name: optional { $0.string() }, sku: string(), quantity: Int.random(in: -5...10_000, using: &self),
                            price: optional { $0.decimal() }, category: optional { $0.string() })
        (item.weight, item.height) = (optional { $0.decimal() }, optional { $0.decimal() })
        (item.width, item.length) = (optional { $0.decimal() }, optional { $0.decimal() })
        item.position = optional { Int.random(in: 0...99, using: &$0) }
        item.attributes = optional { $0.attributes(depth: 2) }
        item.additionalCosts = optional { $0.costs() }
        item.returnedQuantity = optional { Int.random(in: 0...9, using: &$0) }
        item.remainingQuantity = optional { Int.random(in: 0...9, using: &$0) }
        return item
    }

    mutating func session() -> CustomerSession {
        CustomerSession(
            id: 1, integrationId: "s", applicationId: 1, profileId: optional { $0.string() },
            storeIntegrationId: optional { $0.string() },
            couponCodes: (0..<Int.random(in: 0...3, using: &self)).map { _ in string() },
            referralCode: optional { $0.string() },
            loyaltyCards: (0..<Int.random(in: 0...2, using: &self)).map { _ in string() },
            cartItems: (0..<Int.random(in: 0...6, using: &self)).map { _ in item() },
            additionalCosts: costs(), identifiers: (0..<Int.random(in: 0...2, using: &self)).map { _ in string() },
            attributes: attributes(depth: 3), firstSession: chance(50), updateCount: 0, created: epoch, updated: epoch
        )
    }
}
