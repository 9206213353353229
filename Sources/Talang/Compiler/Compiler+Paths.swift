/// What `set` and computed attribute names need at run time.
extension Compiler {
    /// Stores a variable's value. Feeding a variable back into itself could nest values without bound
    /// (and deep values are recursive to print and free); stored values stay within the depth limit.
    static func store(_ value: TalangValue, slot: Int, in evaluation: Evaluation, maxDepth: Int) throws(TalangError) {
        guard value.nestingDepth(upTo: maxDepth + 1) <= maxDepth else {
            throw TalangError(.evaluation, at: "", "a variable may hold values nested at most \(maxDepth) levels")
        }
        evaluation.locals[slot] = value
    }

    /// `root` with `value` at `path`; missing (or null) attributes on the way become maps.
    static func setting(_ path: ArraySlice<String>, in root: TalangValue, to value: TalangValue, pointer: String)
        throws(TalangError) -> TalangValue
    {
        guard let key = path.first else { return value }
        var members: [String: TalangValue]
        switch root {
        case .map(let existing): members = existing
        case .null: members = [:]
        default: throw TalangError(.evaluation, at: pointer, "cannot set `\(key)` of \(root.typeName)")
        }
        members[key] = try setting(path.dropFirst(), in: members[key] ?? .null, to: value, pointer: pointer)
        return .map(members)
    }

    /// The attribute a computed path segment names: a string, or a number's text (`(. Root (+ 1 1))`).
    static func attributeName(_ value: TalangValue, pointer: String) throws(TalangError) -> String {
        switch value {
        case .string(let key): return key
        case .decimal: return value.displayText
        default: throw TalangError(.evaluation, at: pointer, "an attribute name must be a string or a number, got \(value.typeName)")
        }
    }
}
