/// Turns the JSON form (already read into `TalangValue`s) into an `TalangExpression`.
///
/// `["name", args…]` is a call, `[["X", …], body]` a lambda, another list starting with a list a
/// sequence, anything else an atom. Errors carry the pointer of the offending element.
enum ExpressionReader {
    static func read(_ value: TalangValue, limits: Limits) throws(TalangError) -> TalangExpression {
        try read(value, pointer: "", depth: 1, limits: limits)
    }

    private static func read(_ value: TalangValue, pointer: String, depth: Int, limits: Limits) throws(TalangError)
        -> TalangExpression
    {
        guard depth <= limits.maxDepth else {
            throw TalangError(.parse, at: pointer, "the expression is nested deeper than \(limits.maxDepth) levels")
        }
        switch value {
        case .map:
            throw TalangError(.parse, at: pointer, "an object is not an expression; build maps with kv")
        case .list(let elements):
            guard let head = elements.first else {
                throw TalangError(.parse, at: pointer, "an empty list is not an expression; use [\"list\"]")
            }
            switch head {
            case .string(let name):
                var arguments: [TalangExpression] = []
                arguments.reserveCapacity(elements.count - 1)
                for (offset, element) in elements.dropFirst().enumerated() {
                    arguments.append(
                        try read(element, pointer: pointer + "/\(offset + 1)", depth: depth + 1, limits: limits))
                }
                return .call(name, arguments)
            case .list(let names):
                // `[["X", …], body]` with names only is a lambda; any other list of lists a sequence.
                if elements.count == 2,
                    case let parameters = names.compactMap(\.stringValue).filter({ !$0.isEmpty }), parameters.count == names.count
                {
                    let body = try read(elements[1], pointer: pointer + "/1", depth: depth + 1, limits: limits)
                    return .lambda(parameters: parameters, body: body)
                }
                guard elements.count >= 2 else {
                    throw TalangError(.parse, at: pointer, "a lambda is [[parameter names…], body]")
                }
                var items: [TalangExpression] = []
                for (offset, element) in elements.enumerated() {
                    items.append(try read(element, pointer: pointer + "/\(offset)", depth: depth + 1, limits: limits))
                }
                return .sequence(items)
            default:
                throw TalangError(.parse, at: pointer + "/0", "expected a function name, got \(head.typeName)")
            }
        default:
            return .literal(value)
        }
    }
}
