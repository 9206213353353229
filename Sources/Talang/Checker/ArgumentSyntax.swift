extension Checker {
    /// An argument with its location. A lambda's body has its own pointer: the legacy form
    /// `["exists", list, "Item", body]` becomes a lambda whose name and body are siblings.
    struct ArgumentSyntax {
        var expression: TalangExpression
        var pointer: String
        var bodyPointer: String
    }

    /// The arguments with their pointers, reading the reference's legacy lambda form
    /// (`[name, value, "Item", body]`, one more argument than a signature with a one-parameter
    /// lambda in second place takes) as `[name, value, [["Item"], body]]`.
    static func syntax(of arguments: [TalangExpression], pointer: String, overloads: [FunctionDefinition])
        -> [ArgumentSyntax]
    {
        var syntax = arguments.enumerated().map { offset, argument in
            ArgumentSyntax(expression: argument, pointer: pointer + "/\(offset + 1)", bodyPointer: pointer + "/\(offset + 1)/1")
        }
        let takesLegacyLambda = overloads.contains { definition in
            guard definition.signature.repeating == nil, definition.signature.parameters.count + 1 == arguments.count,
                definition.signature.parameters.count >= 2,
                case .lambda(let types, _) = definition.signature.parameters[1]
            else { return false }
            return types.count == 1
        }
        if takesLegacyLambda, !overloads.contains(where: { $0.signature.accepts(argumentCount: arguments.count) }),
            case .literal(.string(let parameter)) = arguments[1], !parameter.isEmpty
        {
            if case .lambda = arguments[2] { return syntax }
            syntax[1] = ArgumentSyntax(
                expression: .lambda(parameters: [parameter], body: arguments[2]), pointer: pointer + "/2",
                bodyPointer: pointer + "/3")
            syntax.remove(at: 2)
        }
        return syntax
    }
}
