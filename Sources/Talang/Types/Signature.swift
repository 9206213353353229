/// One typed form of a function: its parameters, what repeats, and what it returns.
///
/// `+` is `(decimal, decimal, decimal...) -> decimal`: two parameters, then any number of
/// `decimal`s. Lambda parameters (`exists`, `map`) declare their own parameter and result types.
public struct Signature: Sendable, Hashable, CustomStringConvertible {
    public var parameters: [Parameter]
    /// When set, any number of further arguments of this type may follow.
    public var repeating: TalangType?
    public var returns: TalangType

    public init(_ parameters: [Parameter], repeating: TalangType? = nil, returns: TalangType) {
        self.parameters = parameters
        self.repeating = repeating
        self.returns = returns
    }

    public func accepts(argumentCount count: Int) -> Bool {
        repeating == nil ? count == parameters.count : count >= parameters.count
    }

    /// The parameter at a position, counting repetitions.
    public func parameter(at index: Int) -> Parameter {
        index < parameters.count ? parameters[index] : .value(repeating ?? .any)
    }

    public var description: String {
        var items = parameters.map(\.description)
        if let repeating { items.append("\(repeating)...") }
        return "(" + items.joined(separator: ", ") + ") -> \(returns)"
    }

    /// A short form of the arity for messages: "2", "at least 2".
    var arityText: String {
        repeating == nil ? "\(parameters.count)" : "at least \(parameters.count)"
    }
}

/// A parameter: a value of a type, or a lambda `[["Item"], body]` called with values of the given
/// types and expected to produce `returns`.
public enum Parameter: Sendable, Hashable, CustomStringConvertible {
    case value(TalangType)
    case lambda([TalangType], returns: TalangType)

    public var description: String {
        switch self {
        case .value(let type): type.description
        case .lambda(let parameters, let returns):
            "(" + parameters.map(\.description).joined(separator: ", ") + ") -> \(returns)"
        }
    }
}
