/// Type-checks an expression against an environment before it runs: resolves overloads by
/// argument types, lambda parameters and attribute paths, and collects every problem found
/// (not just the first), each with the JSON pointer of the offending node.
struct Checker {
    let environment: Environment
    private var found: [TalangDiagnostic] = []

    /// The problems in document order (a node before its children, siblings left to right).
    var diagnostics: [TalangDiagnostic] {
        found.enumerated().sorted { a, b in
            let x = Self.indexes(a.element.pointer)
            let y = Self.indexes(b.element.pointer)
            return x == y ? a.offset < b.offset : x.lexicographicallyPrecedes(y)
        }.map(\.element)
    }

    private static func indexes(_ pointer: String) -> [Int] {
        pointer.split(separator: "/").map { Int($0) ?? 0 }
    }
    /// Lambda parameters and `set` variables in scope, innermost last.
    var scopes: [[String: Local]] = [[:]]
    /// Above zero while checking the guarded argument of `catch` or `.|`.
    var recovering = 0
    private(set) var slotCount = 0

    struct Local {
        let slot: Int
        var type: TalangType
    }

    struct Typed {
        var node: ResolvedNode
        var type: TalangType
        static var invalid: Typed { Typed(node: .invalid, type: .any) }
    }

    init(environment: Environment) {
        self.environment = environment
    }

    mutating func error(_ pointer: String, _ message: String) {
        found.append(TalangDiagnostic(pointer: pointer, message: message))
    }

    mutating func newSlot() -> Int {
        defer { slotCount += 1 }
        return slotCount
    }

    func local(named name: String) -> Local? {
        for scope in scopes.reversed() {
            if let local = scope[name] { return local }
        }
        return nil
    }

    mutating func check(_ expression: TalangExpression, pointer: String, depth: Int) -> Typed {
        guard depth <= environment.limits.maxDepth else {
            error(pointer, "the expression is nested deeper than \(environment.limits.maxDepth) levels")
            return .invalid
        }
        switch expression {
        case .literal(let value):
            return Typed(node: .constant(value), type: Self.type(of: value))
        case .lambda(let names, let body):
            // `((set X 1) (. X))` reads like a lambda with parameters `set` and `X`; where a value is
            // wanted and the first name is a function, it is the sequence the reference runs.
            if let name = names.first, environment.overloads(named: name) != nil || Self.specialForms.contains(name) {
                let first = TalangExpression.call(name, names.dropFirst().map { .literal(.string($0)) })
                return check(.sequence([first, body]), pointer: pointer, depth: depth)
            }
            error(pointer, "a lambda can only be the argument of a function that takes one")
            return .invalid
        case .sequence(let items):
            var nodes: [ResolvedNode] = []
            var last = Typed.invalid
            for (offset, item) in items.enumerated() {
                last = check(item, pointer: pointer + "/\(offset)", depth: depth + 1)
                nodes.append(last.node)
            }
            return Typed(node: .sequence(nodes), type: last.type)
        case .call(let name, let arguments):
            switch name {
            case ".": return checkAccess(arguments, pointer: pointer, depth: depth)
            case "kv": return checkMap(arguments, pointer: pointer, depth: depth)
            case "set": return checkSet(arguments, pointer: pointer, depth: depth)
            default: return checkCall(name, arguments, pointer: pointer, depth: depth)
            }
        }
    }

    static let specialForms: Set<String> = [".", "kv", "set"]

    static func type(of value: TalangValue) -> TalangType {
        switch value {
        case .null: .null
        case .boolean: .boolean
        case .decimal: .decimal
        case .string: .string
        case .time: .time
        case .list: .list(.any)
        case .map: .map(.any)
        }
    }

    private mutating func checkCall(_ name: String, _ arguments: [TalangExpression], pointer: String, depth: Int) -> Typed {
        let overloads = environment.overloads(named: name) ?? []
        let syntax = Self.syntax(of: arguments, pointer: pointer, overloads: overloads)
        // Values first: lambda parameter types depend on them (`exists` binds Item to the list's items).
        let recovers = overloads.contains { $0.recoversFailedReads }
        var typed: [Typed?] = syntax.enumerated().map { offset, argument in
            if case .lambda = argument.expression { return nil }
            let guarded = recovers && offset == 1
            if guarded { recovering += 1 }
            defer { if guarded { recovering -= 1 } }
            return check(argument.expression, pointer: argument.pointer, depth: depth + 1)
        }
        guard !overloads.isEmpty else {
            error(pointer, "unknown function `\(name)`")
            checkLambdasLoosely(syntax, depth: depth)
            return .invalid
        }
        let fitting = overloads.filter { $0.signature.accepts(argumentCount: syntax.count) }
        guard !fitting.isEmpty else {
            let arities = Set(overloads.map(\.signature.arityText)).sorted().joined(separator: " or ")
            error(pointer, "`\(name)` takes \(arities) arguments, got \(arguments.count)")
            checkLambdasLoosely(syntax, depth: depth)
            return .invalid
        }
        var firstMismatch: (index: Int, parameter: Parameter)?
        for definition in fitting {
            switch match(definition.signature, syntax, &typed, collectionsAreTrue: definition.collectionsAreTrue) {
            case .success(var bindings):
                let resolved = resolveArguments(definition.signature, syntax, typed, &bindings, depth)
                return Typed(
                    node: .call(definition, resolved, pointer: pointer),
                    type: bindings.substitute(definition.signature.returns))
            case .failure(let mismatch):
                if firstMismatch == nil { firstMismatch = (mismatch.index, mismatch.parameter) }
            }
        }
        if fitting.count == 1, let mismatch = firstMismatch {
            let got = typed[mismatch.index].map { "\($0.type)" } ?? "a lambda"
            error(
                syntax[mismatch.index].pointer,
                "argument \(mismatch.index + 1) of `\(name)` must be \(Self.describe(mismatch.parameter)), got \(got)")
        } else {
            let got = typed.map { $0.map { "\($0.type)" } ?? "lambda" }.joined(separator: ", ")
            let forms = fitting.map { "\(name)\($0.signature)" }.joined(separator: "; ")
            error(pointer, "`\(name)` does not take (\(got)); it takes \(forms)")
        }
        checkLambdasLoosely(syntax, depth: depth)
        return .invalid
    }

    private struct Mismatch: Error {
        let index: Int
        let parameter: Parameter
    }

    /// Tries one signature against the checked value arguments; literal strings that are times or
    /// numbers become constants of those types where such a type is wanted.
    private func match(
        _ signature: Signature, _ arguments: [ArgumentSyntax], _ typed: inout [Typed?], collectionsAreTrue: Bool
    ) -> Result<TypeBindings, Mismatch>
    {
        var bindings = TypeBindings()
        var converted = typed
        for index in arguments.indices {
            let parameter = signature.parameter(at: index)
            switch (parameter, converted[index]) {
            case (.lambda(let types, _), nil):
                guard case .lambda(let names, _) = arguments[index].expression, names.count == types.count else {
                    return .failure(Mismatch(index: index, parameter: parameter))
                }
            case (.value(let expected), let argument?):
                if case .constant(.string(let text)) = argument.node, let literal = Self.convert(text, to: bindings.substitute(expected)) {
                    converted[index] = literal
                } else if collectionsAreTrue, expected == .boolean, argument.type.isCollection {
                    continue
                } else if !bindings.match(expected, argument.type) {
                    return .failure(Mismatch(index: index, parameter: parameter))
                }
            default:
                return .failure(Mismatch(index: index, parameter: parameter))
            }
        }
        typed = converted
        return .success(bindings)
    }

    /// String literals where a time or a number is wanted: RFC 3339 text is a time and number text a
    /// decimal, as the reference's lexer reads `"2006-01-02T15:04:05Z"` and `"100"`.
    private static func convert(_ text: String, to expected: TalangType) -> Typed? {
        switch expected {
        case .time: TalangTime(rfc3339: text).map { Typed(node: .constant(.time($0)), type: .time) }
        case .decimal:
            TextParser.atom(text).decimalValue.map { Typed(node: .constant(.decimal($0)), type: .decimal) }
        default: nil
        }
    }

    /// Checks the lambda bodies of the chosen signature with their parameters typed.
    private mutating func resolveArguments(
        _ signature: Signature, _ arguments: [ArgumentSyntax], _ typed: [Typed?], _ bindings: inout TypeBindings,
        _ depth: Int
    ) -> [ResolvedArgument] {
        arguments.indices.map { index in
            if let value = typed[index] { return .value(value.node) }
            guard case .lambda(let types, let returns) = signature.parameter(at: index),
                case .lambda(let names, let body) = arguments[index].expression
            else { return .value(.invalid) }
            var scope: [String: Local] = [:]
            var slots: [Int] = []
            for (name, type) in zip(names, types) {
                let slot = newSlot()
                slots.append(slot)
                scope[name] = Local(slot: slot, type: bindings.substitute(type))
            }
            scopes.append(scope)
            let checkedBody = check(body, pointer: arguments[index].bodyPointer, depth: depth + 2)
            scopes.removeLast()
            if !bindings.match(returns, checkedBody.type) {
                error(arguments[index].bodyPointer,
                      "the lambda must return \(bindings.substitute(returns)), got \(checkedBody.type)")
            }
            return .lambda(slots: slots, body: checkedBody.node)
        }
    }

    /// After a failed resolution, lambda bodies are still checked (parameters typed `any`) so
    /// their own problems are reported too.
    private mutating func checkLambdasLoosely(_ arguments: [ArgumentSyntax], depth: Int) {
        for argument in arguments {
            guard case .lambda(let names, let body) = argument.expression else { continue }
            var scope: [String: Local] = [:]
            for name in names { scope[name] = Local(slot: newSlot(), type: .any) }
            scopes.append(scope)
            _ = check(body, pointer: argument.bodyPointer, depth: depth + 2)
            scopes.removeLast()
        }
    }

    static func describe(_ parameter: Parameter) -> String {
        switch parameter {
        case .value(let type): "\(type)"
        case .lambda(let types, let returns): "a lambda \(Parameter.lambda(types, returns: returns))"
        }
    }
}
