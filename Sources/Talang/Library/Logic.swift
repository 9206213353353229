/// `and or not ! if`: `and`, `or` and `if` evaluate only the arguments they need.
enum Logic {
    static let category = "Logic"

    static var definitions: [FunctionDefinition] {
        [
            .core("and", category, [], repeating: .boolean, returns: .boolean,
                "Whether every argument is true; stops at the first false.",
                examples: [Example("(and true (> 2 1))", "true"), Example("(and false (> (/ 1 0) 1))", "false"),
                           Example("(and)", "true")]
            ) { arguments in
                for index in 0..<arguments.count where !(try arguments.boolean(index)) { return false }
                return true
            },
            .core("or", category, [], repeating: .boolean, returns: .boolean,
                "Whether at least one argument is true; stops at the first true.",
                examples: [Example("(or false false true)", "true"), Example("(or false false)", "false")]
            ) { arguments in
                for index in 0..<arguments.count where try arguments.boolean(index) { return true }
                return false
            },
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

    private static func negation(_ name: String) -> FunctionDefinition {
        .core(name, category, [.boolean], returns: .boolean, "Inverts a boolean.",
            examples: [Example("(\(name) false)", "true"), Example("(\(name) (\(name) false))", "false")]
        ) { arguments in
            .boolean(!(try arguments.boolean(0)))
        }
    }
}
