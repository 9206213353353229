/// Bounds that keep parsing, checking and evaluation finite and small on hostile input.
public struct Limits: Sendable, Hashable {
    /// Deepest nesting of lists (JSON) or parentheses (text) accepted by the parsers and the checker.
    public var maxDepth: Int = 64
    /// Longest source text, in bytes.
    public var maxSourceLength: Int = 1 << 20
    /// Function calls and lambda applications one evaluation may perform.
    public var maxSteps: Int = 1_000_000
    /// Largest list an expression may build (`list`, `append`, `split`, `map`, …).
    public var maxListCount: Int = 100_000
    /// Longest string an expression may build (`+`, `join`, …), in UTF-8 bytes.
    public var maxStringLength: Int = 1 << 20

    public init() {}
}
