import Foundation

/// A value of the rule language: what bindings hold and what expressions produce.
///
/// Numbers are `Decimal` so money never passes through binary floating point. Maps are the
/// dynamic form of objects (a session, a cart item, custom attributes).
public enum TalangValue: Sendable, Hashable {
    case null
    case boolean(Bool)
    case decimal(Decimal)
    case string(String)
    case time(TalangTime)
    case list([TalangValue])
    case map([String: TalangValue])
}

extension TalangValue {
    /// The name of the value's type, as the checker and error messages spell it.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .boolean: "boolean"
        case .decimal: "decimal"
        case .string: "string"
        case .time: "time"
        case .list: "list"
        case .map: "map"
        }
    }

    public var decimalValue: Decimal? {
        if case .decimal(let value) = self { return value }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var booleanValue: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }

    public var timeValue: TalangTime? {
        if case .time(let value) = self { return value }
        return nil
    }

    public var listValue: [TalangValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    public var mapValue: [String: TalangValue]? {
        if case .map(let value) = self { return value }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as `toString` and string concatenation show it; lists and maps as JSON.
    public var displayText: String {
        switch self {
        case .null: ""
        case .boolean(let value): value ? "true" : "false"
        case .decimal(let value): value.description
        case .string(let value): value
        case .time(let value): value.rfc3339
        case .list, .map: jsonText
        }
    }
}

extension TalangValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(integerLiteral value: Int) { self = .decimal(Decimal(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(arrayLiteral elements: TalangValue...) { self = .list(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, TalangValue)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension TalangValue {
    /// Equality as Talang's `=` sees it: numbers by value, times by instant, a time and a string
    /// by parsing the string, other atoms by their text (so `(= 1 "1")` holds, as in the reference).
    public func looselyEquals(_ other: TalangValue) -> Bool {
        switch (self, other) {
        case (.decimal(let a), .decimal(let b)): return DecimalArithmetic.compare(a, b) == 0
        case (.time(let a), .time(let b)): return a == b
        case (.time(let a), .string(let s)), (.string(let s), .time(let a)):
            return TalangTime(rfc3339: s).map { $0 == a } ?? false
        case (.string(let a), .string(let b)):
            if a == b { return true }
            guard Self.looksLikeTime(a), Self.looksLikeTime(b), let x = TalangTime(rfc3339: a),
                let y = TalangTime(rfc3339: b)
            else { return false }
            return x == y
        case (.list(let a), .list(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.looselyEquals($1) }
        case (.map(let a), .map(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { value.looselyEquals($0) } ?? false }
        case (.list, _), (_, .list), (.map, _), (_, .map): return false
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        default: return displayText == other.displayText
        }
    }

    /// How deeply lists and maps nest (an atom is 0), counting no further than `limit`.
    func nestingDepth(upTo limit: Int) -> Int {
        guard limit > 0 else { return 0 }
        switch self {
        case .list(let elements): return 1 + (elements.lazy.map { $0.nestingDepth(upTo: limit - 1) }.max() ?? 0)
        case .map(let members): return 1 + (members.values.lazy.map { $0.nestingDepth(upTo: limit - 1) }.max() ?? 0)
        default: return 0
        }
    }

    /// A cheap pre-check before parsing strings as times (`2006-01-02T…`).
    private static func looksLikeTime(_ text: String) -> Bool {
        let bytes = text.utf8
        return bytes.count >= 20 && bytes.dropFirst(10).first == UInt8(ascii: "T")
    }

    /// A total order for `sort`: values of one type by value; mixed types by type, then text.
    public static func ordered(_ a: TalangValue, _ b: TalangValue) -> Bool {
        switch (a, b) {
        case (.decimal(let x), .decimal(let y)): return DecimalArithmetic.compare(x, y) < 0
        case (.string(let x), .string(let y)): return x < y
        case (.time(let x), .time(let y)): return x < y
        case (.boolean(let x), .boolean(let y)): return !x && y
        default:
            if a.typeRank != b.typeRank { return a.typeRank < b.typeRank }
            return a.displayText < b.displayText
        }
    }

    private var typeRank: Int {
        switch self {
        case .null: 0
        case .boolean: 1
        case .decimal: 2
        case .string: 3
        case .time: 4
        case .list: 5
        case .map: 6
        }
    }
}
