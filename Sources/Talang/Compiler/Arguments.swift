import Foundation

/// A compiled argument: a value to compute, or a lambda body with the slots of its parameters.
struct CompiledArgument: Sendable {
    let run: Thunk
    let slots: [Int]
}

/// A compiled node: computes its value in an evaluation.
typealias Thunk = @Sendable (Evaluation) throws -> TalangValue

/// The arguments of one call, evaluated on demand: `and` stops at the first false, `catch` can
/// recover from its argument's error, lambdas run once per item.
///
/// Implementations read values with the typed accessors, which throw (never trap) when a loosely
/// typed (`any`) value turns out to be of another type.
public struct Arguments {
    let arguments: [CompiledArgument]
    public let evaluation: Evaluation

    public var count: Int { arguments.count }

    /// The host's context, as the type the host passed to `evaluate`.
    public func context<Context>(as type: Context.Type) throws(TalangFailure) -> Context {
        try evaluation.context(as: type)
    }

    @inline(__always)
    public func value(_ index: Int) throws -> TalangValue {
        try arguments[index].run(evaluation)
    }

    public func decimal(_ index: Int) throws -> Decimal {
        let value = try value(index)
        guard case .decimal(let number) = value else { throw TalangFailure.type(expected: "decimal", got: value) }
        return number
    }

    public func string(_ index: Int) throws -> String {
        let value = try value(index)
        guard case .string(let text) = value else { throw TalangFailure.type(expected: "string", got: value) }
        return text
    }

    public func boolean(_ index: Int) throws -> Bool {
        let value = try value(index)
        guard case .boolean(let flag) = value else { throw TalangFailure.type(expected: "boolean", got: value) }
        return flag
    }

    /// A time; RFC 3339 strings are read as times (JSON data carries times as strings).
    public func time(_ index: Int) throws -> TalangTime {
        try Self.time(from: value(index))
    }

    static func time(from value: TalangValue) throws(TalangFailure) -> TalangTime {
        switch value {
        case .time(let time): return time
        case .string(let text):
            guard let time = TalangTime(rfc3339: text) else { throw TalangFailure("\"\(text)\" is not an RFC 3339 time") }
            return time
        default: throw TalangFailure.type(expected: "time", got: value)
        }
    }

    public func list(_ index: Int) throws -> [TalangValue] {
        let value = try value(index)
        guard case .list(let elements) = value else { throw TalangFailure.type(expected: "list", got: value) }
        return elements
    }

    public func map(_ index: Int) throws -> [String: TalangValue] {
        let value = try value(index)
        guard case .map(let members) = value else { throw TalangFailure.type(expected: "map", got: value) }
        return members
    }

    /// Runs the one-parameter lambda at `index` with its parameter bound to `value`.
    @inline(__always)
    public func call(_ index: Int, with value: TalangValue) throws -> TalangValue {
        let lambda = arguments[index]
        guard lambda.slots.count == 1 else { return try call(index, withArguments: [value]) }
        try evaluation.step()
        evaluation.locals[lambda.slots[0]] = value
        return try lambda.run(evaluation)
    }

    /// Runs the lambda at `index` with its parameters bound to `values`.
    public func call(_ index: Int, with values: TalangValue...) throws -> TalangValue {
        try call(index, withArguments: values)
    }

    public func call(_ index: Int, withArguments values: [TalangValue]) throws -> TalangValue {
        let lambda = arguments[index]
        guard lambda.slots.count == values.count else {
            throw TalangFailure("the lambda takes \(lambda.slots.count) parameters, not \(values.count)")
        }
        try evaluation.step()
        for (slot, value) in zip(lambda.slots, values) { evaluation.locals[slot] = value }
        return try lambda.run(evaluation)
    }

    /// A lambda's result that must be a boolean (predicates of `exists`, `filter`, …).
    public func predicate(_ index: Int, with value: TalangValue) throws -> Bool {
        let result = try call(index, with: value)
        guard case .boolean(let flag) = result else { throw TalangFailure.type(expected: "boolean", got: result) }
        return flag
    }

    /// Fails when a list is longer than the evaluation allows.
    public func checkCount(_ count: Int) throws(TalangFailure) {
        guard count <= evaluation.limits.maxListCount else {
            throw TalangFailure("the list would have more than \(evaluation.limits.maxListCount) items")
        }
    }

    /// Fails when a string is longer than the evaluation allows.
    public func checkLength(_ text: String) throws(TalangFailure) {
        guard text.utf8.count <= evaluation.limits.maxStringLength else {
            throw TalangFailure("the string would be longer than \(evaluation.limits.maxStringLength) bytes")
        }
    }
}
