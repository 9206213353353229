/// The type variables of one call being matched (`T` in `head(list<T>) -> T`).
///
/// A variable takes the type of its first argument; later arguments of other types widen it
/// (to `any`) rather than fail, since Talang lists may mix types (`(list 1 true "a")`).
struct TypeBindings {
    private var variables: [String: TalangType] = [:]

    /// Whether `actual` fits `expected`, binding the variables `expected` mentions.
    mutating func match(_ expected: TalangType, _ actual: TalangType) -> Bool {
        switch (expected, actual) {
        case (.generic(let name), _):
            variables[name] = variables[name].map { Self.join($0, actual) } ?? actual
            return true
        case (.list(let element), .list(let actualElement)):
            return match(element, actualElement)
        case (.list(let element), .any), (.map(let element), .any):
            return match(element, .any)
        case (.map(let value), .map(let actualValue)):
            return match(value, actualValue)
        case (.map(let value), .object(let schema)):
            if schema.isOpen && !match(value, .any) { return false }
            return schema.fields.values.allSatisfy { match(value, $0) }
        default:
            return expected.accepts(actual)
        }
    }

    /// The type with every bound variable replaced; unbound ones become `any`.
    func substitute(_ type: TalangType) -> TalangType {
        switch type {
        case .generic(let name): variables[name] ?? .any
        case .list(let element): .list(substitute(element))
        case .map(let value): .map(substitute(value))
        case .object(let schema):
            .object(ObjectSchema(fields: schema.fields.mapValues(substitute), isOpen: schema.isOpen))
        default: type
        }
    }

    static func join(_ a: TalangType, _ b: TalangType) -> TalangType {
        if a == b { return a }
        if case .list(let x) = a, case .list(let y) = b { return .list(join(x, y)) }
        if case .map(let x) = a, case .map(let y) = b { return .map(join(x, y)) }
        return .any
    }
}
