/// `catch do set noop`.
enum Misc {
    static let category = "Miscellaneous"

    static var definitions: [FunctionDefinition] {
        [
            .core("catch", category, [.t, .t], returns: .t,
                "The second argument, or the first when evaluating the second fails. Reads the checker cannot resolve (an unknown binding or attribute) fail here instead of being rejected, so the fallback applies.",
                examples: [Example("(catch 22 (/ 1 0))", "22"), Example("(catch 22 2)", "2"), Example("(catch 22 (. Profile Age))", "22")]
            ) { arguments in
                do {
                    return try arguments.value(1)
                } catch let error as TalangError where error.isBudgetExhausted {
                    throw error
                } catch {
                    return try arguments.value(0)
                }
            }.recoveringFailedReads,
            .core("do", category, [.t, .lambda([.t], returns: .u)], returns: .u,
                "Applies a lambda to a value: names an intermediate result.",
                examples: [Example("(do (+ 1 2) ((X) (* (. X) (. X))))", "9")]
            ) { arguments in
                try arguments.call(1, with: try arguments.value(0))
            },
            .specialForm("set", category, [.string, .any], repeating: .any, returns: .null,
                "Stores a value in a variable that later `(. Name)` reads within the same scope; returns null. With attribute names before the value (`(set Name Key … value)`), stores the variable's or binding's value with that attribute set, creating maps on the way.",
                examples: [Example("(list (set X 2) (* (. X) 3))", "[null,6]"),
                           Example("((set X Key 2) (set X Other 3) (. X))", "{\"Key\":2,\"Other\":3}")]),
            .core("noop", category, [], returns: .null, "Does nothing; returns null.",
                examples: [Example("(noop)", "null")]
            ) { _ in .null },
        ]
    }
}
