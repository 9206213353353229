import Foundation

/// Reads JSON text into `TalangValue`s, bounded: nesting deeper than `maxDepth` or text longer than
/// `maxLength` is an error, never a stack overflow. Numbers go from their text straight to `Decimal`.
struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private let maxDepth: Int

    static func parse(_ text: String, limits: Limits) throws(TalangError) -> TalangValue {
        guard text.utf8.count <= limits.maxSourceLength else {
            throw TalangError(.parse, at: "", "the text is longer than \(limits.maxSourceLength) bytes")
        }
        var parser = JSONParser(bytes: Array(text.utf8), maxDepth: limits.maxDepth)
        do {
            parser.skipWhitespace()
            let value = try parser.value(depth: 1)
            parser.skipWhitespace()
            guard parser.index == parser.bytes.count else { throw parser.failure("unexpected text after the value") }
            return value
        } catch let failure as TalangFailure {
            throw TalangError(.parse, at: "", failure.message)
        } catch {
            throw TalangError(.parse, at: "", "\(error)")
        }
    }

    private init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private func failure(_ message: String) -> TalangFailure {
        TalangFailure("invalid JSON at byte \(index): \(message)")
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func expect(_ literal: String) throws -> Void {
        for byte in literal.utf8 {
            guard current == byte else { throw failure("expected \(literal)") }
            index += 1
        }
    }

    private mutating func value(depth: Int) throws -> TalangValue {
        guard depth <= maxDepth else { throw failure("nested deeper than \(maxDepth) levels") }
        switch current {
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try expect("true"); return .boolean(true)
        case UInt8(ascii: "f"): try expect("false"); return .boolean(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case nil: throw failure("unexpected end of text")
        case let byte?:
            guard byte == UInt8(ascii: "-") || isDigit(byte) else { throw failure("unexpected character") }
            return .decimal(try number())
        }
    }

    private mutating func array(depth: Int) throws -> TalangValue {
        index += 1
        var elements: [TalangValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .list(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index += 1
            } else if current == UInt8(ascii: "]") {
                index += 1
                return .list(elements)
            } else {
                throw failure("expected , or ]")
            }
        }
    }

    private mutating func object(depth: Int) throws -> TalangValue {
        index += 1
        var members: [String: TalangValue] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .map(members)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw failure("expected a member name") }
            let key = try string()
            skipWhitespace()
            try expect(":")
            skipWhitespace()
            members[key] = try value(depth: depth + 1)
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index += 1
            } else if current == UInt8(ascii: "}") {
                index += 1
                return .map(members)
            } else {
                throw failure("expected , or }")
            }
        }
    }

    /// JSON's number grammar, checked here because `Decimal(string:)` accepts prefixes ("12abc").
    private mutating func number() throws -> Decimal {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, isDigit(first) else { throw failure("expected a digit") }
        index += 1
        if first != UInt8(ascii: "0") { while let byte = current, isDigit(byte) { index += 1 } }
        if current == UInt8(ascii: ".") {
            index += 1
            guard let byte = current, isDigit(byte) else { throw failure("expected a digit after .") }
            while let byte = current, isDigit(byte) { index += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let byte = current, isDigit(byte) else { throw failure("expected a digit in the exponent") }
            while let byte = current, isDigit(byte) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = DecimalArithmetic.parse(text) else { throw failure("number out of range: \(text)") }
        return value
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private mutating func string() throws -> String {
        index += 1
        var run = index
        var text = ""
        func flush(_ end: Int) {
            text += String(decoding: bytes[run..<end], as: UTF8.self)
        }
        while true {
            guard let byte = current else { throw failure("unterminated string") }
            if byte == UInt8(ascii: "\"") {
                flush(index)
                index += 1
                return text
            }
            if byte < 0x20 { throw failure("control character in string") }
            if byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            flush(index)
            index += 1
            guard let escape = current else { throw failure("unterminated escape") }
            index += 1
            switch escape {
            case UInt8(ascii: "\""): text += "\""
            case UInt8(ascii: "\\"): text += "\\"
            case UInt8(ascii: "/"): text += "/"
            case UInt8(ascii: "b"): text += "\u{08}"
            case UInt8(ascii: "f"): text += "\u{0C}"
            case UInt8(ascii: "n"): text += "\n"
            case UInt8(ascii: "r"): text += "\r"
            case UInt8(ascii: "t"): text += "\t"
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code) {
                    guard current == UInt8(ascii: "\\") else { throw failure("lone surrogate") }
                    index += 1
                    try expect("u")
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw failure("invalid surrogate pair") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw failure("invalid \\u escape") }
                text.unicodeScalars.append(scalar)
            default: throw failure("invalid escape")
            }
            run = index
        }
    }

    private mutating func hex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = hexValue(byte) else { throw failure("invalid \\u escape") }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x41...0x46: UInt32(byte - 0x41 + 10)
        case 0x61...0x66: UInt32(byte - 0x61 + 10)
        default: nil
        }
    }
}
