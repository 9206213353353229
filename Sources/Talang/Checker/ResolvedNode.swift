/// An expression after checking: names resolved to bindings, slots and overloads, literals
/// converted to the types their parameters want. The compiler turns it into closures.
indirect enum ResolvedNode {
    case constant(TalangValue)
    /// `(. Session Total)`: a root binding and a path into it.
    case binding(name: String, path: [String], pointer: String)
    /// `(. Item Price)`: a lambda parameter or `set` variable, by slot.
    case local(slot: Int, name: String, path: [String], pointer: String)
    /// `(. (kv (A 1)) A)`: a path into a computed value.
    case access(base: ResolvedNode, path: [String], pointer: String)
    case call(FunctionDefinition, [ResolvedArgument], pointer: String)
    /// `kv`: a map with the given keys.
    case object([(key: String, value: ResolvedNode)])
    /// `set`: stores a value in a variable slot.
    case assign(slot: Int, value: ResolvedNode)
    /// A node that had errors; never compiled.
    case invalid
}

enum ResolvedArgument {
    case value(ResolvedNode)
    case lambda(slots: [Int], body: ResolvedNode)
}
