import Foundation

/// Reads the text form: `(+ 1 (. Session Total))`, `((Item) (> (. Item Price) 10))`.
///
/// Bare words are numbers, `true`/`false`/`null`, or strings; `"quoted strings"` use JSON escapes;
/// `;` starts a comment. A top level without parentheses (`+ 1 2`) is one call, as in the reference.
/// Parenthesised lists become the JSON form first, so both forms share one reader and one set of pointers.
struct TextParser {
    private let bytes: [UInt8]
    private var index = 0
    private let limits: Limits

    static func parse(_ text: String, limits: Limits) throws(TalangError) -> TalangExpression {
        guard text.utf8.count <= limits.maxSourceLength else {
            throw TalangError(.parse, at: "", "the text is longer than \(limits.maxSourceLength) bytes")
        }
        var parser = TextParser(bytes: Array(text.utf8), limits: limits)
        let items: [TalangValue]
        do {
            items = try parser.sequence(depth: 0, closing: false)
        } catch {
            throw TalangError(.parse, at: "", error.message)
        }
        let value: TalangValue
        switch items.count {
        case 0: throw TalangError(.parse, at: "", "empty expression")
        case 1: value = items[0]
        default: value = .list(items)
        }
        return try ExpressionReader.read(value, limits: limits)
    }

    private init(bytes: [UInt8], limits: Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    private func failure(_ message: String) -> TalangFailure {
        TalangFailure("invalid text at byte \(index): \(message)")
    }

    private mutating func skipBlanks() {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ";") {
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
            } else if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                index += 1
            } else {
                return
            }
        }
    }

    private mutating func sequence(depth: Int, closing: Bool) throws(TalangFailure) -> [TalangValue] {
        guard depth <= limits.maxDepth else { throw failure("nested deeper than \(limits.maxDepth) levels") }
        var items: [TalangValue] = []
        while true {
            skipBlanks()
            guard index < bytes.count else {
                if closing { throw failure("missing )") }
                return items
            }
            switch bytes[index] {
            case UInt8(ascii: "("):
                index += 1
                items.append(.list(try sequence(depth: depth + 1, closing: true)))
            case UInt8(ascii: ")"):
                guard closing else { throw failure("unexpected )") }
                index += 1
                return items
            case UInt8(ascii: "\""):
                items.append(.string(try quoted()))
            default:
                let start = index
                while index < bytes.count, !Self.isDelimiter(bytes[index]) { index += 1 }
                items.append(Self.atom(String(decoding: bytes[start..<index], as: UTF8.self)))
            }
        }
    }

    /// A quoted string, read by the JSON reader so escapes mean the same in both forms.
    private mutating func quoted() throws(TalangFailure) -> String {
        let start = index
        index += 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard index < bytes.count else { throw failure("unterminated string") }
        index += 1
        let literal = String(decoding: Self.keepingUnknownEscapes(bytes[start..<index]), as: UTF8.self)
        guard case .string(let text)? = try? JSONParser.parse(literal, limits: limits) else {
            throw failure("invalid string \(literal)")
        }
        return text
    }

    /// A backslash before a character that is no JSON escape stays as written, as the reference
    /// reads quoted text: `"^Hello\s\w+"` is a regular expression, not an invalid string.
    private static func keepingUnknownEscapes(_ literal: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(literal.count)
        var position = literal.startIndex
        while position < literal.endIndex {
            let byte = literal[position]
            result.append(byte)
            position += 1
            guard byte == UInt8(ascii: "\\"), position < literal.endIndex else { continue }
            if Self.jsonEscapes.contains(literal[position]) {
                result.append(literal[position])
                position += 1
            } else {
                result.append(byte)
            }
        }
        return result
    }

    private static let jsonEscapes = Set("\"\\/bfnrtu".utf8)

    static func isDelimiter(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == UInt8(ascii: "(")
            || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: ";")
    }

    static func isBareWord(_ text: String) -> Bool { !text.utf8.contains(where: isDelimiter) }

    /// What a bare word means: a number when it is one, a boolean or null by name, else a string.
    static func atom(_ word: String) -> TalangValue {
        switch word {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "null": return .null
        default:
            if isNumber(word), let value = DecimalArithmetic.parse(word) { return .decimal(value) }
            return .string(word)
        }
    }

    private static func isNumber(_ word: String) -> Bool {
        var digits = word.utf8[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        let parts = digits.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }
}
