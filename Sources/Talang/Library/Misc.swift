/// `catch do set noop`.
enum Misc {
    static let category = "Miscellaneous"

    static var definitions: [FunctionDefinition] {
        [
            .core("catch", category, [.t, .t], returns: .t,
                "The second argument, or the first when evaluating the second fails.",
                examples: [Example("(catch 22 (/ 1 0))", "22"), Example("(catch 22 2)", "2")]
            ) { arguments in
                do {
                    return try arguments.value(1)
                } catch let error as TalangError where error.isBudgetExhausted {
                    throw error
                } catch {
                    return try arguments.value(0)
                }
            },
            .core("do", category, [.t, .lambda([.t], returns: .u)], returns: .u,
                "Applies a lambda to a value: names an intermediate result.",
                examples: [Example("(do (+ 1 2) ((X) (* (. X) (. X))))", "9")]
            ) { arguments in
                try arguments.call(1, with: try arguments.value(0))
            },
            .specialForm("set", category, [.string, .any], returns: .null,
                "Stores a value in a variable that later `(. Name)` reads within the same scope; returns null.",
                examples: [Example("(list (set X 2) (* (. X) 3))", "[null,6]")]),
            .core("noop", category, [], returns: .null, "Does nothing; returns null.",
                examples: [Example("(noop)", "null")]
            ) { _ in .null },
        ]
    }
}
