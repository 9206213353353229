/// The forms whose arguments are names rather than values: `.` (attribute access), `kv` (map
/// construction) and `set` (variables).
extension Checker {
    /// `(. Session CartItems)`: the first argument names a lambda parameter, a `set` variable or a
    /// root binding (or is an expression giving a map); the rest are attribute names, checked
    /// against the binding's schema. A segment that is not a literal name is computed (its value
    /// names the attribute), as in the reference's `(. Root (+ 1 1))`.
    mutating func checkAccess(_ arguments: [TalangExpression], pointer: String, depth: Int) -> Typed {
        guard let first = arguments.first else {
            error(pointer, "`.` needs a binding name, as in [\".\", \"Session\", \"Total\"]")
            return .invalid
        }
        var path: [String] = []
        var computed: [(offset: Int, segment: ResolvedSegment)] = []
        var valid = true
        for (offset, argument) in arguments.enumerated().dropFirst() {
            if computed.isEmpty, case .literal(.string(let key)) = argument {
                path.append(key)
            } else if case .literal(.string(let key)) = argument {
                computed.append((offset, .key(key)))
            } else {
                let segment = check(argument, pointer: pointer + "/\(offset + 1)", depth: depth + 1)
                guard [.decimal, .string, .any].contains(segment.type) else {
                    error(pointer + "/\(offset + 1)", "an attribute name must be a string or a number, got \(segment.type)")
                    valid = false
                    continue
                }
                computed.append((offset, .computed(segment.node)))
            }
        }
        let baseType: TalangType
        var shown: String
        let make: ([String]) -> ResolvedNode
        if case .literal(.string(let name)) = first {
            shown = name
            if let local = local(named: name) {
                baseType = local.type
                make = { .local(slot: local.slot, name: name, path: $0, pointer: pointer) }
            } else if let binding = environment.bindings[name] {
                baseType = binding.type
                make = { .binding(name: name, path: $0, pointer: pointer) }
            } else {
                let known = (scopes.flatMap(\.keys) + environment.bindings.keys).sorted()
                let hint = known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))"
                return unresolvedRead(pointer + "/1", "unknown binding `\(name)`\(hint)", at: pointer)
            }
        } else {
            let base = check(first, pointer: pointer + "/1", depth: depth + 1)
            baseType = base.type
            shown = "the value"
            make = { .access(base: base.node, path: $0, pointer: pointer) }
        }
        var type = baseType
        for (offset, key) in path.enumerated() {
            guard let next = type.field(key) else {
                let message = switch type {
                case .object, .map: "`\(shown)` has no attribute `\(key)`"
                default: "`\(shown)` is \(type) and has no attributes"
                }
                return unresolvedRead(pointer + "/\(offset + 2)", message, at: pointer)
            }
            type = next
            shown += "." + key
        }
        for (offset, segment) in computed {
            let next: TalangType? = if case .key(let key) = segment { type.field(key) } else { type.anyField }
            guard let next else {
                return unresolvedRead(pointer + "/\(offset + 1)", "`\(shown)` is \(type) and has no such attribute", at: pointer)
            }
            type = next
        }
        guard valid else { return .invalid }
        if computed.isEmpty { return Typed(node: make(path), type: type) }
        return Typed(node: .computedAccess(base: make(path), segments: computed.map(\.segment), pointer: pointer), type: type)
    }

    /// A read that cannot succeed: an error, except inside `catch` or `.|`, where it fails at run time.
    private mutating func unresolvedRead(_ pointer: String, _ message: String, at call: String) -> Typed {
        guard recovering > 0 else {
            error(pointer, message)
            return .invalid
        }
        return Typed(node: .failingRead(message: message, pointer: call), type: .any)
    }

    /// `(kv (Key1 "Hello") (Key2 true))`: each argument is a one-element call whose name is the key.
    mutating func checkMap(_ arguments: [TalangExpression], pointer: String, depth: Int) -> Typed {
        var pairs: [(key: String, value: ResolvedNode)] = []
        var fields: [String: TalangType] = [:]
        var valid = true
        for (offset, argument) in arguments.enumerated() {
            let argumentPointer = pointer + "/\(offset + 1)"
            guard case .call(let key, let values) = argument, values.count == 1 else {
                error(argumentPointer, "kv takes pairs like [\"Key\", value]")
                valid = false
                continue
            }
            let value = check(values[0], pointer: argumentPointer + "/1", depth: depth + 2)
            pairs.append((key, value.node))
            fields[key] = value.type
        }
        return valid ? Typed(node: .object(pairs), type: .object(fields)) : .invalid
    }

    /// `(set Name value)`: stores a value in a variable that later `(. Name)` reads in this scope.
    /// `(set Name Key … value)` stores the variable's (or binding's) value with the attribute set,
    /// creating maps on the way.
    mutating func checkSet(_ arguments: [TalangExpression], pointer: String, depth: Int) -> Typed {
        guard arguments.count >= 2, case .literal(.string(let name)) = arguments[0], !name.isEmpty else {
            error(pointer, "set takes a variable name and a value, as in [\"set\", \"Name\", 1]")
            return .invalid
        }
        var path: [String] = []
        for (offset, argument) in arguments.enumerated().dropFirst().dropLast() {
            guard case .literal(.string(let key)) = argument else {
                error(pointer + "/\(offset + 1)", "an attribute name must be a string")
                return .invalid
            }
            path.append(key)
        }
        let value = check(arguments[arguments.count - 1], pointer: pointer + "/\(arguments.count)", depth: depth + 1)
        var type = value.type
        var base: ResolvedNode?
        if !path.isEmpty {
            var baseType: TalangType?
            if let local = local(named: name) {
                (base, baseType) = (.local(slot: local.slot, name: name, path: [], pointer: pointer), local.type)
            } else if let binding = environment.bindings[name] {
                (base, baseType) = (.binding(name: name, path: [], pointer: pointer), binding.type)
            }
            guard let updated = Self.setting(path[...], in: baseType, to: value.type) else {
                error(pointer + "/2", "`\(name)` is \(baseType ?? .any) and has no attributes to set")
                return .invalid
            }
            type = updated
        }
        let slot: Int
        if var existing = scopes[scopes.count - 1][name] {
            existing.type = path.isEmpty ? TypeBindings.join(existing.type, type) : type
            scopes[scopes.count - 1][name] = existing
            slot = existing.slot
        } else {
            slot = newSlot()
            scopes[scopes.count - 1][name] = Local(slot: slot, type: type)
        }
        if path.isEmpty { return Typed(node: .assign(slot: slot, value: value.node), type: .null) }
        return Typed(node: .assignPath(slot: slot, base: base, path: path, value: value.node, pointer: pointer), type: .null)
    }

    /// The type of a value after `set` stores `value` at `path` in it (nil: it has no attributes).
    private static func setting(_ path: ArraySlice<String>, in type: TalangType?, to value: TalangType) -> TalangType? {
        guard let key = path.first else { return value }
        switch type {
        case nil, .null?:
            return setting(path.dropFirst(), in: nil, to: value).map { .object([key: $0]) }
        case .object(let schema)?:
            guard let field = setting(path.dropFirst(), in: schema.fields[key], to: value) else { return nil }
            var fields = schema.fields
            fields[key] = field
            return .object(ObjectSchema(fields: fields, isOpen: schema.isOpen))
        case .map(let element)?:
            return setting(path.dropFirst(), in: element, to: value).map { .map(TypeBindings.join(element, $0)) }
        case .any?:
            return .any
        default:
            return nil
        }
    }
}
