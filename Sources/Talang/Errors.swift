/// A problem found in an expression, located by the JSON pointer of the offending node relative
/// to the expression's root (`/2/1`); callers prefix their own location (`/rules/0/condition`).
public struct TalangDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public var pointer: String
    public var message: String

    public init(pointer: String, message: String) {
        self.pointer = pointer
        self.message = message
    }

    public var description: String { pointer.isEmpty ? message : "\(pointer): \(message)" }
}

/// Why an expression could not be parsed, checked or evaluated. Checking reports every problem
/// found; parsing and evaluation stop at the first.
public struct TalangError: Error, Sendable, CustomStringConvertible {
    public enum Stage: String, Sendable { case parse, check, evaluation }

    public var stage: Stage
    public var diagnostics: [TalangDiagnostic]
    /// The error a host function threw, when that is what stopped evaluation.
    public var underlying: (any Error)?
    /// Set when the step budget ran out; `catch` and `.|` never recover from it.
    public internal(set) var isBudgetExhausted = false

    public init(_ stage: Stage, _ diagnostics: [TalangDiagnostic], underlying: (any Error)? = nil) {
        self.stage = stage
        self.diagnostics = diagnostics
        self.underlying = underlying
    }

    init(_ stage: Stage, at pointer: String, _ message: String) {
        self.init(stage, [TalangDiagnostic(pointer: pointer, message: message)])
    }

    public var description: String {
        "\(stage) error: " + diagnostics.map(\.description).joined(separator: "; ")
    }
}

/// What a function implementation throws when it cannot produce a value (division by zero, an
/// index out of range). The evaluator adds the pointer of the call.
public struct TalangFailure: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    static func type(expected: String, got value: TalangValue) -> TalangFailure {
        TalangFailure("expected \(expected), got \(value.typeName)")
    }
}
