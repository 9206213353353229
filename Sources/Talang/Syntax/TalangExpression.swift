/// A parsed expression: the one tree behind both surface forms.
///
/// JSON form: `["+", 1, [".", "Session", "Total"]]`; text form: `(+ 1 (. Session Total))`.
/// A lambda is a two-element list whose first element lists parameter names:
/// `[["Item"], [">", [".", "Item", "Price"], 10]]` or `((Item) (> (. Item Price) 10))`.
public indirect enum TalangExpression: Sendable, Hashable {
    case literal(TalangValue)
    case call(String, [TalangExpression])
    case lambda(parameters: [String], body: TalangExpression)
    /// A program of several expressions, evaluated in order; its value is the last one's:
    /// `[["set", "X", 2], ["+", [".", "X"], 1]]` or `((set X 2) (+ (. X) 1))`.
    case sequence([TalangExpression])
}

extension TalangExpression {
    /// Nesting depth: a literal is 1.
    public var depth: Int {
        switch self {
        case .literal: 1
        case .call(_, let arguments): 1 + (arguments.map(\.depth).max() ?? 0)
        case .lambda(_, let body): 1 + body.depth
        case .sequence(let items): 1 + (items.map(\.depth).max() ?? 0)
        }
    }

    /// The JSON form (`TalangValue` lists and atoms), as rulesets store it.
    public var jsonValue: TalangValue {
        switch self {
        case .literal(let value): value
        case .call(let name, let arguments): .list([.string(name)] + arguments.map(\.jsonValue))
        case .lambda(let parameters, let body): .list([.list(parameters.map { .string($0) }), body.jsonValue])
        case .sequence(let items): .list(items.map(\.jsonValue))
        }
    }

    public var jsonText: String { jsonValue.jsonText }
}

extension TalangExpression: CustomStringConvertible {
    /// The text form: `(+ 1 (. Session Total))`.
    public var description: String {
        switch self {
        case .literal(let value): Self.textAtom(value)
        case .call(let name, let arguments):
            "(" + ([Self.textWord(name)] + arguments.map(\.description)).joined(separator: " ") + ")"
        case .lambda(let parameters, let body):
            "((" + parameters.map(Self.textWord).joined(separator: " ") + ") " + body.description + ")"
        case .sequence(let items): "(" + items.map(\.description).joined(separator: " ") + ")"
        }
    }

    private static func textAtom(_ value: TalangValue) -> String {
        switch value {
        case .string(let text): textWord(text)
        case .null: "null"
        case .list, .map: value.jsonText
        default: value.displayText
        }
    }

    /// A string as a bare word when it reads back as the same string, quoted otherwise.
    static func textWord(_ text: String) -> String {
        if !text.isEmpty, TextParser.isBareWord(text), TextParser.atom(text) == .string(text) { return text }
        return TalangValue.string(text).jsonText
    }
}
