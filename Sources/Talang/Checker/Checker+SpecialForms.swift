/// The forms whose arguments are names rather than values: `.` (attribute access), `kv` (map
/// construction) and `set` (variables).
extension Checker {
    /// `(. Session CartItems)`: the first argument names a lambda parameter, a `set` variable or a
    /// root binding (or is an expression giving a map); the rest are attribute names, checked
    /// against the binding's schema.
    mutating func checkAccess(_ arguments: [TalangExpression], pointer: String, depth: Int) -> Typed {
        guard let first = arguments.first else {
            error(pointer, "`.` needs a binding name, as in [\".\", \"Session\", \"Total\"]")
            return .invalid
        }
        var path: [String] = []
        var valid = true
        for (offset, argument) in arguments.enumerated().dropFirst() {
            guard case .literal(.string(let key)) = argument else {
                error(pointer + "/\(offset)", "an attribute name must be a string")
                valid = false
                continue
            }
            path.append(key)
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
                error(pointer + "/1", "unknown binding `\(name)`\(hint)")
                return .invalid
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
                switch type {
                case .object, .map: error(pointer + "/\(offset + 2)", "`\(shown)` has no attribute `\(key)`")
                default: error(pointer + "/\(offset + 2)", "`\(shown)` is \(type) and has no attributes")
                }
                return .invalid
            }
            type = next
            shown += "." + key
        }
        return valid ? Typed(node: make(path), type: type) : .invalid
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
    mutating func checkSet(_ arguments: [TalangExpression], pointer: String, depth: Int) -> Typed {
        guard arguments.count == 2, case .literal(.string(let name)) = arguments[0], !name.isEmpty else {
            error(pointer, "set takes a variable name and a value, as in [\"set\", \"Name\", 1]")
            return .invalid
        }
        let value = check(arguments[1], pointer: pointer + "/2", depth: depth + 1)
        let slot: Int
        if var existing = scopes[scopes.count - 1][name] {
            existing.type = TypeBindings.join(existing.type, value.type)
            scopes[scopes.count - 1][name] = existing
            slot = existing.slot
        } else {
            slot = newSlot()
            scopes[scopes.count - 1][name] = Local(slot: slot, type: value.type)
        }
        return Typed(node: .assign(slot: slot, value: value.node), type: .null)
    }
}
