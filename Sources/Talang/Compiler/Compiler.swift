/// Turns a checked tree into nested closures: names, overloads and slots are resolved once here,
/// so evaluation does no parsing and no lookups beyond the bindings' own dictionaries.
///
/// Calls of pure functions whose arguments are all constants are evaluated here, once
/// (`["/", 20, 100]` becomes `0.2`); if that fails, the call is left to fail at run time with its pointer.
struct Compiler {
    let limits: Limits

    func compile(_ node: ResolvedNode) -> Thunk { compileNode(node).run }

    /// A compiled node, and its value when it is known at compile time.
    private struct Compiled {
        let run: Thunk
        var constant: TalangValue?
    }

    private func compileNode(_ node: ResolvedNode) -> Compiled {
        if case .constant(let value) = node { return Compiled(run: { _ in value }, constant: value) }
        if case .call(let definition, let arguments, let pointer) = node {
            var constants: [TalangValue] = []
            let compiled = arguments.map { argument -> CompiledArgument in
                switch argument {
                case .value(let node):
                    let value = compileNode(node)
                    if let constant = value.constant { constants.append(constant) }
                    return CompiledArgument(run: value.run, slots: [])
                case .lambda(let slots, let body):
                    return CompiledArgument(run: compile(body), slots: slots)
                }
            }
            let thunk = Self.call(definition, compiled, pointer: pointer)
            if definition.isPure, constants.count == arguments.count,
                let value = try? thunk(Evaluation(bindings: [:], context: nil, now: nil, slotCount: 0, limits: limits))
            {
                return Compiled(run: { _ in value }, constant: value)
            }
            return Compiled(run: thunk, constant: nil)
        }
        return Compiled(run: compileOther(node), constant: nil)
    }

    private func compileOther(_ node: ResolvedNode) -> Thunk {
        switch node {
        case .constant(let value):
            return { _ in value }
        case .binding(let name, let path, let pointer):
            return { evaluation in
                guard let root = evaluation.bindings[name] else {
                    throw TalangError(.evaluation, at: pointer, "`\(name)` is not bound")
                }
                return try Compiler.follow(path, from: root, shown: name, pointer: pointer)
            }
        case .local(let slot, let name, let path, let pointer):
            return { evaluation in
                guard let value = evaluation.locals[slot] else {
                    throw TalangError(.evaluation, at: pointer, "`\(name)` has not been set")
                }
                return try Compiler.follow(path, from: value, shown: name, pointer: pointer)
            }
        case .access(let base, let path, let pointer):
            let baseThunk = compile(base)
            return { evaluation in
                try Compiler.follow(path, from: baseThunk(evaluation), shown: "the value", pointer: pointer)
            }
        case .call(let definition, let arguments, let pointer):
            return Self.call(definition, arguments.map(compile), pointer: pointer)
        case .object(let pairs):
            let compiled = pairs.map { (key: $0.key, value: compile($0.value)) }
            return { evaluation in
                var members: [String: TalangValue] = [:]
                for pair in compiled { members[pair.key] = try pair.value(evaluation) }
                return .map(members)
            }
        case .assign(let slot, let value):
            let valueThunk = compile(value)
            let maxDepth = limits.maxDepth
            return { evaluation in
                try Compiler.store(valueThunk(evaluation), slot: slot, in: evaluation, maxDepth: maxDepth)
                return .null
            }
        case .assignPath(let slot, let base, let path, let value, let pointer):
            let baseThunk = base.map(compile)
            let valueThunk = compile(value)
            let maxDepth = limits.maxDepth
            return { evaluation in
                let root = try baseThunk?(evaluation) ?? .map([:])
                let updated = try Compiler.setting(path[...], in: root, to: valueThunk(evaluation), pointer: pointer)
                try Compiler.store(updated, slot: slot, in: evaluation, maxDepth: maxDepth)
                return .null
            }
        case .computedAccess(let base, let segments, let pointer):
            let baseThunk = compile(base)
            let keys: [Thunk] = segments.map { segment in
                switch segment {
                case .key(let key): { _ in .string(key) }
                case .computed(let node): compile(node)
                }
            }
            return { evaluation in
                var value = try baseThunk(evaluation)
                for key in keys {
                    let name = try Compiler.attributeName(key(evaluation), pointer: pointer)
                    value = try Compiler.follow([name], from: value, shown: "the value", pointer: pointer)
                }
                return value
            }
        case .sequence(let items):
            let thunks = items.map(compile)
            return { evaluation in
                var last = TalangValue.null
                for thunk in thunks { last = try thunk(evaluation) }
                return last
            }
        case .failingRead(let message, let pointer):
            return { _ in throw TalangError(.evaluation, at: pointer, message) }
        case .invalid:
            return { _ in throw TalangError(.evaluation, at: "", "the expression did not pass the checker") }
        }
    }

    private func compile(_ argument: ResolvedArgument) -> CompiledArgument {
        switch argument {
        case .value(let node): CompiledArgument(run: compile(node), slots: [])
        case .lambda(let slots, let body): CompiledArgument(run: compile(body), slots: slots)
        }
    }

    private static func call(_ definition: FunctionDefinition, _ arguments: [CompiledArgument], pointer: String)
        -> Thunk
    {
        let implementation = definition.implementation
        let name = definition.name
        return { evaluation in
            try evaluation.step()
            do {
                return try implementation(Arguments(arguments: arguments, evaluation: evaluation))
            } catch let error as TalangError {
                throw error
            } catch let failure as TalangFailure {
                throw TalangError(.evaluation, at: pointer, "\(name): \(failure.message)")
            } catch {
                throw TalangError(
                    .evaluation, [TalangDiagnostic(pointer: pointer, message: "\(name): \(error)")], underlying: error)
            }
        }
    }

    /// Walks attribute names into maps. A missing or null attribute is an error (as in the
    /// reference); `.|` and `catch` turn it into a fallback.
    @inline(__always)
    static func follow(_ path: [String], from root: TalangValue, shown: String, pointer: String) throws(TalangError)
        -> TalangValue
    {
        var value = root
        for key in path {
            guard case .map(let members) = value else {
                throw TalangError(.evaluation, at: pointer, "`\(shown)` is \(value.typeName), not a map (reading `\(key)`)")
            }
            guard let next = members[key], !next.isNull else {
                throw TalangError(.evaluation, at: pointer, "`\(shown)` has no value for `\(key)`")
            }
            value = next
        }
        return value
    }
}
