/// `and or not ! if`: `and`, `or` and `if` evaluate only the arguments they need.
enum Logic {
    static let category = "Logic"

    static var definitions: [FunctionDefinition] {
        [
            .core("and", category, [], repeating: .boolean, returns: .boolean,
                "Whether every argument is true; stops at the first false. A list or map counts as true.",
                examples: [Example("(and true (> 2 1))", "true"), Example("(and false (> (/ 1 0) 1))", "false"),
                           Example("(and)", "true"), Example("(and (list 1 2) false)", "false")]
            ) { arguments in
                for index in 0..<arguments.count where !(try truth(arguments, index)) { return false }
                return true
            }.countingCollectionsAsTrue,
            .core("or", category, [], repeating: .boolean, returns: .boolean,
                "Whether at least one argument is true; stops at the first true. A list or map counts as true.",
                examples: [Example("(or false false true)", "true"), Example("(or false false)", "false"),
                           Example("(or false (list))", "true")]
            ) { arguments in
                for index in 0..<arguments.count where try truth(arguments, index) { return true }
                return false
            }.countingCollectionsAsTrue,
            negation("not"),
            negation("!"),
            .core("if", category, [.boolean, .t, .t], returns: .t,
                "The second argument when the first is true, else the third; only the chosen one is evaluated.",
                examples: [Example("(if (> 2 1) \"yes\" \"no\")", "\"yes\""), Example("(if false (/ 1 0) 0)", "0")]
            ) { arguments in
                try arguments.value(try arguments.boolean(0) ? 1 : 2)
            },
        ]
    }

    /// A boolean argument, or true for a list or map (the reference's truth for `and`/`or`).
    @inline(__always)
    private static func truth(_ arguments: Arguments, _ index: Int) throws -> Bool {
        switch try arguments.value(index) {
        case .boolean(let value): return value
        case .list, .map: return true
        case let value: throw TalangFailure.type(expected: "boolean", got: value)
        }
    }

    private static func negation(_ name: String) -> FunctionDefinition {
        .core(name, category, [.boolean], returns: .boolean, "Inverts a boolean.",
            examples: [Example("(\(name) false)", "true"), Example("(\(name) (\(name) false))", "false")]
        ) { arguments in
            .boolean(!(try arguments.boolean(0)))
        }
    }
}
