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
    /// `(set Root Key 2)`: stores `base` (the variable's or binding's value, or an empty map when
    /// nil) with the value set at `path`.
    case assignPath(slot: Int, base: ResolvedNode?, path: [String], value: ResolvedNode, pointer: String)
    /// `(. Root (+ 1 1))`: a path with computed segments, after a base with the literal prefix.
    case computedAccess(base: ResolvedNode, segments: [ResolvedSegment], pointer: String)
    /// Several expressions in order; the value is the last one's.
    case sequence([ResolvedNode])
    /// A read the checker could not resolve inside `catch` or `.|`: fails when evaluated.
    case failingRead(message: String, pointer: String)
    /// A node that had errors; never compiled.
    case invalid
}

enum ResolvedArgument {
    case value(ResolvedNode)
    case lambda(slots: [Int], body: ResolvedNode)
}

enum ResolvedSegment {
    case key(String)
    /// A segment whose value (a string, or a number read as its text) names the attribute.
    case computed(ResolvedNode)
}
