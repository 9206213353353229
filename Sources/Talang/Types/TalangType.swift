/// The static type of an expression, as the checker infers it and as signatures declare it.
///
/// `any` is for loosely typed data (custom attributes): it is accepted everywhere and checked at
/// run time instead. `generic` names a type variable in a signature (`list<T>`, `(T) -> boolean`).
public indirect enum TalangType: Sendable, Hashable, CustomStringConvertible {
    case any
    case null
    case boolean
    case decimal
    case string
    case time
    case list(TalangType)
    /// A map whose keys are data, every value of one type.
    case map(TalangType)
    /// A record with known fields (a session, a cart item). Open objects allow unknown fields, typed `any`.
    case object(ObjectSchema)
    case generic(String)

    /// An object type from its fields.
    public static func object(_ fields: [String: TalangType], open: Bool = false) -> TalangType {
        .object(ObjectSchema(fields: fields, isOpen: open))
    }

    public var description: String {
        switch self {
        case .any: "any"
        case .null: "null"
        case .boolean: "boolean"
        case .decimal: "decimal"
        case .string: "string"
        case .time: "time"
        case .list(let element): "list<\(element)>"
        case .map(let value): "map<\(value)>"
        case .object(let schema): schema.description
        case .generic(let name): name
        }
    }

    /// Lists, maps and objects.
    var isCollection: Bool {
        switch self {
        case .list, .map, .object: true
        default: false
        }
    }

    /// The type of `self.key`, or nil when the type has no such field.
    public func field(_ key: String) -> TalangType? {
        switch self {
        case .any: .any
        case .map(let value): value
        case .object(let schema): schema.fields[key] ?? (schema.isOpen ? .any : nil)
        default: nil
        }
    }

    /// The type of an attribute whose name is computed: the map's values, the join of an object's
    /// fields (`any` when open or empty), nil for types without attributes.
    var anyField: TalangType? {
        switch self {
        case .any: .any
        case .map(let value): value
        case .object(let schema):
            schema.isOpen ? .any : schema.fields.values.first.map { first in
                schema.fields.values.reduce(first) { TypeBindings.join($0, $1) }
            } ?? .any
        default: nil
        }
    }

    /// Whether a value of type `actual` may be passed where `self` is expected. `any` on either side
    /// passes (the value is checked when it arrives).
    public func accepts(_ actual: TalangType) -> Bool {
        switch (self, actual) {
        case (.any, _), (_, .any): return true
        case (.generic, _), (_, .generic): return true
        case (.list(let expected), .list(let element)): return expected.accepts(element)
        case (.map(let expected), .map(let value)): return expected.accepts(value)
        case (.map(let expected), .object(let schema)):
            return (!schema.isOpen || expected == .any) && schema.fields.values.allSatisfy { expected.accepts($0) }
        case (.object(let expected), .object(let schema)):
            return expected.fields.allSatisfy { key, type in schema.fields[key].map { type.accepts($0) } ?? schema.isOpen }
        case (.object, .map(let value)): return value == .any
        default: return self == actual
        }
    }
}

/// The fields of an object type.
public struct ObjectSchema: Sendable, Hashable, CustomStringConvertible {
    public var fields: [String: TalangType]
    /// Open objects accept any further field (typed `any`): custom attributes, say.
    public var isOpen: Bool

    public init(fields: [String: TalangType], isOpen: Bool = false) {
        self.fields = fields
        self.isOpen = isOpen
    }

    public var description: String {
        let members = fields.keys.sorted().map { "\($0): \(fields[$0] ?? .any)" }
        return "{" + (members + (isOpen ? ["…"] : [])).joined(separator: ", ") + "}"
    }
}
