import Foundation
import PromotionEngine

/// One entry of the rule builder's palette: a condition or an effect, the form fields it shows, and the
/// Talang it generates from them. Adding an entry is one `PaletteEntry` value in `Palette.conditions` or
/// `Palette.effects`: the page renders its fields, the builder calls `talang` when its checkbox is on.
struct PaletteEntry: Sendable {
    enum Role: Sendable { case condition, effect }

    /// The checkbox that puts the entry into the rule: its form name and element id.
    let key: String
    let role: Role
    let label: String
    let fields: [PaletteField]
    /// The campaign features the entry needs (a coupon condition needs the coupons feature).
    var features: [CampaignFeature] = []
    /// The entry's Talang expression; problems are added to the input (the value is then ignored).
    let talang: @Sendable (inout PaletteInput) -> JSONValue
}

/// A form field of a palette entry. Names are unique across the palette (a unit test checks it).
struct PaletteField: Sendable {
    struct Option: Sendable {
        var value: String
        var label: String
    }

    enum Kind: Sendable {
        case text
        case choice([Option])
        /// A custom attribute of these entities from the attribute registry, as `Entity/name`.
        case attribute([AttributeEntity])
        /// Seven checkboxes, `<name>0` (Sunday) … `<name>6` (Saturday).
        case weekdays
    }

    var name: String
    var label: String
    var kind = Kind.text
    var hint: String?
}

/// What a palette entry reads: the form's values, the builder's context, and the problems found so far
/// (each at `/builder/<field name>`).
struct PaletteInput {
    let values: [String: String]
    let context: RuleBuilder.Context
    /// The rule's title, which names the discounts it gives.
    let ruleName: String
    var issues: [ValidationIssue] = []

    func text(_ name: String) -> String { (values[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    mutating func fail(_ name: String, _ message: String) {
        issues.append(.init(pointer: "/builder/\(name)", message: message))
    }

    /// A non-empty text, or an issue.
    mutating func required(_ name: String) -> String {
        let value = text(name)
        if value.isEmpty { fail(name, "is required") }
        return value
    }

    /// A number above 0 (or at least 0 with `zero`, at most `atMost`), or an issue; empty is an issue unless `optional`.
    mutating func number(_ name: String, zero: Bool = false, atMost: Decimal? = nil, optional: Bool = false) -> Decimal? {
        let value = text(name)
        if value.isEmpty && optional { return nil }
        guard let number = RuleBuilder.decimal(value), number > 0 || (zero && number == 0) else {
            fail(name, zero ? "must be a number, at least 0" : "must be a number above 0")
            return nil
        }
        if let atMost, number > atMost {
            fail(name, "must be at most \(atMost)")
            return nil
        }
        return number
    }

    /// The attribute chosen in an `.attribute` field, or an issue.
    mutating func attribute(_ name: String) -> AttributeDefinition? {
        let chosen = text(name)
        let found = context.attributes.first { Palette.optionValue($0) == chosen }
        if found == nil { fail(name, chosen.isEmpty ? "choose an attribute" : "is not a custom attribute of this account") }
        return found
    }

    /// A value typed like the attribute (number, boolean, RFC 3339 time, string), as a Talang literal.
    mutating func literal(_ name: String, for attribute: AttributeDefinition) -> JSONValue {
        let value = text(name)
        switch attribute.type {
        case .number:
            guard let number = RuleBuilder.decimal(value) else { fail(name, "must be a number"); return .null }
            return .number(number)
        case .boolean:
            guard value == "true" || value == "false" else { fail(name, "must be true or false"); return .null }
            return .bool(value == "true")
        case .time:
            guard AttributeType.time.accepts(.string(value)) else { fail(name, "must be an RFC 3339 time"); return .null }
            return TalangJSON.call("parseTime", .string(value))
        case .string, .location:
            return .string(value)
        case .stringList, .numberList, .timeList, .locationList:
            fail(name, "the builder cannot compare a \(attribute.type.rawValue) attribute; edit the Talang JSON")
            return .null
        }
    }
}

/// Small constructors for Talang JSON, so palette entries read like the expressions they build.
enum TalangJSON {
    static func call(_ name: String, _ arguments: JSONValue...) -> JSONValue { call(name, arguments) }
    static func call(_ name: String, _ arguments: [JSONValue]) -> JSONValue { .array([.string(name)] + arguments) }
    static func read(_ path: String...) -> JSONValue { call(".", path.map(JSONValue.string)) }
    static func lambda(_ parameter: String, _ body: JSONValue) -> JSONValue { .array([.array([.string(parameter)]), body]) }
    /// `and` of the parts; one part stands alone.
    static func all(_ parts: [JSONValue]) -> JSONValue { parts.count == 1 ? parts[0] : call("and", parts) }
    /// A condition that is false, not an error, when what it reads is missing (an anonymous session's profile).
    static func orFalse(_ condition: JSONValue) -> JSONValue { call("catch", .bool(false), condition) }
    static let cartItems = read("Session", "CartItems")
}

enum Palette {
    static var all: [PaletteEntry] { conditions + effects }

    static func optionValue(_ attribute: AttributeDefinition) -> String { "\(attribute.entity.rawValue)/\(attribute.name)" }

    static let percentOrFixed = [
        PaletteField.Option(value: "percentage", label: "Percent"), .init(value: "fixed", label: "Fixed amount"),
    ]

    /// A discount's value: a percentage of `base`, or the amount itself (read from `kindField`, `amountField`).
    static func discountValue(_ input: inout PaletteInput, kindField: String, amountField: String, base: JSONValue)
        -> JSONValue
    {
        let percent = input.text(kindField) != "fixed"
        let amount = input.number(amountField, atMost: percent ? 100 : nil) ?? 0
        return percent ? TalangJSON.call("*", base, TalangJSON.call("/", .number(amount), .number(100))) : .number(amount)
    }
}
