import Foundation

/// A reader of stored JSON text straight into the values it holds (the session, the profile's attributes), on
/// the text's UTF-8 bytes in place: no intermediate tree, keys compared as bytes, plain numbers read by
/// `DecimalText`.
///
/// It reads what `JSONDecoder` reads into equal values, and refuses what it refuses with a `DecodingError`, as
/// the stores threw before; numbers it does not read directly (exponents, more than 19 digits) are handed to
/// `JSONDecoder` itself. Readers of a document walk it with `beginObject`/`nextKey` and `read…`.
public struct JSONScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Runs `body` over `text`'s bytes; the document must end where `body` stops reading.
    public static func read<T>(_ text: String, _ body: (inout JSONScanner) throws -> T) throws -> T {
        var text = text
        return try text.withUTF8 { buffer in
            var scanner = JSONScanner(bytes: buffer)
            let value = try body(&scanner)
            scanner.skipWhitespace()
            guard scanner.index == buffer.count else { throw scanner.corrupted("text after the document") }
            return value
        }
    }

    /// A member's key as it stands in the text.
    public struct Key {
        fileprivate let range: Range<Int>
        /// Holds a backslash or a control character: read by `unescaped`, which decodes or refuses them.
        fileprivate let escaped: Bool
    }

    // MARK: Structure

    public mutating func beginObject() throws {
        guard nextByte() == UInt8(ascii: "{") else { throw mismatch([String: JSONValue].self, "an object") }
        index += 1
    }

    /// The next member's key (its `:` consumed), or nil past the object's `}`. `first` starts true.
    public mutating func nextKey(first: inout Bool) throws -> Key? {
        guard let key = try nextRawKey(first: &first) else { return nil }
        // JSONDecoder reads every key of an object it decodes, known or not: a bad escape is refused anywhere.
        if key.escaped { _ = try string(key) }
        return key
    }

    private mutating func nextRawKey(first: inout Bool) throws -> Key? {
        guard try continues(closing: UInt8(ascii: "}"), first: &first) else { return nil }
        guard nextByte() == UInt8(ascii: "\"") else { throw corrupted("a key") }
        let key = try stringToken()
        guard nextByte() == UInt8(ascii: ":") else { throw corrupted("':'") }
        index += 1
        return key
    }

    public mutating func beginArray() throws {
        guard nextByte() == UInt8(ascii: "[") else { throw mismatch([JSONValue].self, "an array") }
        index += 1
    }

    /// Whether another element follows (its `,` consumed), false past the array's `]`. `first` starts true.
    public mutating func nextElement(first: inout Bool) throws -> Bool {
        try continues(closing: UInt8(ascii: "]"), first: &first)
    }

    private mutating func continues(closing: UInt8, first: inout Bool) throws -> Bool {
        guard let byte = nextByte() else { throw corrupted("the end of a container") }
        if byte == closing {
            index += 1
            return false
        }
        if first {
            first = false
        } else {
            guard byte == UInt8(ascii: ",") else { throw corrupted("',' or '\(Character(Unicode.Scalar(closing)))'") }
            index += 1
            // JSONDecoder accepts a comma before the closing bracket.
            if nextByte() == closing {
                index += 1
                return false
            }
        }
        return true
    }

    /// Whether `key` is the field `name` (plain ASCII).
    public func matches(_ key: Key, _ name: StaticString) -> Bool {
        if key.escaped { return (try? string(key)) == name.description }
        guard key.range.count == name.utf8CodeUnitCount else { return false }
        return memcmp(bytes.baseAddress! + key.range.lowerBound, name.utf8Start, key.range.count) == 0
    }

    // MARK: Values

    /// Consumes a `null` if one is next.
    public mutating func readNull() -> Bool {
        guard nextByte() == UInt8(ascii: "n"), literal("null") else { return false }
        index += 4
        return true
    }

    public mutating func readBool() throws -> Bool {
        if nextByte() == UInt8(ascii: "t"), literal("true") {
            index += 4
            return true
        }
        if nextByte() == UInt8(ascii: "f"), literal("false") {
            index += 5
            return false
        }
        throw mismatch(Bool.self, "true or false")
    }

    public mutating func readString() throws -> String {
        guard nextByte() == UInt8(ascii: "\"") else { throw mismatch(String.self, "a string") }
        return try string(try stringToken())
    }

    public func string(_ key: Key) throws -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[key.range])
        return key.escaped ? try unescaped(raw) : String(decoding: raw, as: UTF8.self)
    }

    public mutating func readDecimal() throws -> Decimal {
        let token = try numberToken(Decimal.self)
        return try DecimalText.plainNumber(token) ?? Self.foundation(Decimal.self, token)
    }

    public mutating func readInt() throws -> Int {
        let token = try numberToken(Int.self)
        var value = 0
        let negative = token.first == UInt8(ascii: "-")
        let digits = UnsafeBufferPointer(rebasing: token[(negative ? 1 : 0)...])
        // Plain integers of up to 18 digits cannot overflow; anything else reads as JSONDecoder reads it.
        guard digits.count > 0, digits.count <= 18, digits.count == 1 || digits[0] != UInt8(ascii: "0"),
              digits.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 })
        else { return try Self.foundation(Int.self, token) }
        for digit in digits { value = value * 10 + Int(digit &- UInt8(ascii: "0")) }
        return negative ? -value : value
    }

    /// Any value, `depth` being its coding path's length as `JSONDecoder` counts it (`JSONValue.maximumDepth`).
    public mutating func readValue(depth: Int) throws -> JSONValue {
        guard depth <= JSONValue.maximumDepth else {
            throw corrupted("nested more than \(JSONValue.maximumDepth) levels deep")
        }
        switch nextByte() {
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "{"): return .object(try readObject(depth: depth))
        case UInt8(ascii: "["):
            var items: [JSONValue] = []
            try beginArray()
            var first = true
            while try nextElement(first: &first) { items.append(try readValue(depth: depth + 1)) }
            return .array(items)
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try readBool())
        case UInt8(ascii: "n"):
            guard readNull() else { throw corrupted("a value") }
            return .null
        default: return .number(try readDecimal())
        }
    }

    /// An object of any values, `depth` being the object's own coding path length.
    public mutating func readObject(depth: Int) throws -> [String: JSONValue] {
        try readDictionary { scanner in try scanner.readValue(depth: depth + 1) }
    }

    public mutating func readDictionary<Value>(_ value: (inout JSONScanner) throws -> Value) throws -> [String: Value] {
        try beginObject()
        var members: [String: Value] = [:]
        var first = true
        while let key = try nextKey(first: &first) {
            let name = try string(key)
            let member = try value(&self)
            // A repeated key keeps its first value, as JSONDecoder's keyed containers do.
            if members[name] == nil { members[name] = member }
        }
        return members
    }

    public mutating func readArray<Element>(_ element: (inout JSONScanner) throws -> Element) throws -> [Element] {
        try beginArray()
        var elements: [Element] = []
        var first = true
        while try nextElement(first: &first) { elements.append(try element(&self)) }
        return elements
    }

    /// Passes over a member no reader knows (none is written; older or newer fields would be), checking only its
    /// shape, as JSONDecoder does for members nobody asks for.
    public mutating func skipValue() throws { try skipValue(depth: 0) }

    private mutating func skipValue(depth: Int) throws {
        guard depth < 512 else { throw corrupted("at most 512 levels of nesting") }
        guard let byte = nextByte() else { throw corrupted("a value") }
        switch byte {
        case UInt8(ascii: "\""): _ = try stringToken()
        case UInt8(ascii: "{"):
            index += 1
            var first = true
            while try nextRawKey(first: &first) != nil { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            index += 1
            var first = true
            while try nextElement(first: &first) { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"):
            guard readNull() else { throw corrupted("a value") }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try numberToken(Decimal.self)
        default: throw corrupted("a value")
        }
    }

    // MARK: Errors

    public static func missing(_ field: String) -> DecodingError {
        .keyNotFound(FieldKey(stringValue: field), .init(codingPath: [], debugDescription: "No value for \(field)."))
    }

    public static func null(_ type: Any.Type, _ field: String) -> DecodingError {
        .valueNotFound(type, .init(codingPath: [FieldKey(stringValue: field)], debugDescription: "\(field) is null."))
    }

    private func corrupted(_ expected: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: [], debugDescription: "Stored JSON: expected \(expected) at byte \(index)."))
    }

    private func mismatch(_ type: Any.Type, _ expected: String) -> DecodingError {
        .typeMismatch(type, .init(codingPath: [], debugDescription: "Stored JSON: expected \(expected) at byte \(index)."))
    }

    private struct FieldKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    // MARK: Tokens

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The next byte that is not whitespace, not consumed.
    private mutating func nextByte() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    private func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        return bytes.count - index >= count && memcmp(bytes.baseAddress! + index, word.utf8Start, count) == 0
    }

    /// A string's contents (between its quotes, which are consumed); escapes and control characters are checked
    /// when it is read.
    private mutating func stringToken() throws -> Key {
        index += 1
        let start = index
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return Key(range: start..<index - 1, escaped: escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 2
                continue
            }
            if byte < 0x20 { escaped = true }
            index += 1
        }
        throw corrupted("the end of a string")
    }

    /// The bytes of a number: what can belong to one, validated by whoever reads them.
    private mutating func numberToken(_ type: Any.Type) throws -> UnsafeBufferPointer<UInt8> {
        skipWhitespace()
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"):
                index += 1
            default:
                guard index > start else { throw mismatch(type, "a number") }
                return UnsafeBufferPointer(rebasing: bytes[start..<index])
            }
        }
        guard index > start else { throw mismatch(type, "a number") }
        return UnsafeBufferPointer(rebasing: bytes[start..<index])
    }

    private static func foundation<T: Decodable>(_ type: T.Type, _ token: UnsafeBufferPointer<UInt8>) throws -> T {
        try JSONDecoder().decode(type, from: Data(buffer: token))
    }

    private func unescaped(_ raw: UnsafeBufferPointer<UInt8>) throws -> String {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var position = 0
        while position < raw.count {
            let byte = raw[position]
            position += 1
            guard byte == UInt8(ascii: "\\") else {
                guard byte >= 0x20 else { throw corrupted("no control character in a string") }
                output.append(byte)
                continue
            }
            guard position < raw.count else { throw corrupted("an escape") }
            let code = raw[position]
            position += 1
            switch code {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(code)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hexQuad(raw, &position)
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by an escaped low one.
                    guard position + 1 < raw.count, raw[position] == UInt8(ascii: "\\"),
                          raw[position + 1] == UInt8(ascii: "u")
                    else { throw corrupted("a low surrogate") }
                    position += 2
                    let low = try hexQuad(raw, &position)
                    guard (0xDC00..<0xE000).contains(low) else { throw corrupted("a low surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw corrupted("a high surrogate before a low one")
                }
                output.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            default: throw corrupted("a valid escape")
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private func hexQuad(_ raw: UnsafeBufferPointer<UInt8>, _ position: inout Int) throws -> UInt32 {
        guard position + 4 <= raw.count else { throw corrupted("four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = raw[position]
            let digit: UInt8 = switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: throw corrupted("four hex digits")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }
}
