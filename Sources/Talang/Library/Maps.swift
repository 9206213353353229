/// Attribute access (`.`, `.|`) and map construction (`kv`).
enum Maps {
    static let category = "Maps"

    static var definitions: [FunctionDefinition] {
        [
            .specialForm(".", category, [.string], repeating: .string, returns: .any,
                "Reads a binding (`Session`, a lambda parameter, a `set` variable) and the attributes named after it. The checker resolves the path against the binding's schema; a missing or null value is an error at run time (see `.|` and `catch`). An attribute name given by an expression is computed: its value (a string, or a number's text) names the attribute.",
                examples: [Example("(. (kv (Total 100)) Total)", "100"),
                           Example("(. (kv (Key2 5)) (concat \"Key\" (toString (+ 1 1))))", "5")]),
            .core(".|", category, [.t, .t], returns: .t,
                "Safe read: the second argument (typically an attribute read), or the first when it fails or is null. Reads the checker cannot resolve (an unknown binding or attribute) fail here instead of being rejected, so the fallback applies. A value of another type than the fallback is an error, as in the reference.",
                examples: [Example("(.| 0 (. (kv (A null)) A))", "0"), Example("(.| 0 (. (kv (A 1)) A))", "1"),
                           Example("(.| \"none\" (. Meh))", "\"none\""), Example("(.| 0 (. (kv (A \"x\")) A))", nil)]
            ) { arguments in
                let fallback = try arguments.value(0)
                let value: TalangValue
                do {
                    value = try arguments.value(1)
                } catch let error as TalangError where error.isBudgetExhausted {
                    throw error
                } catch {
                    return fallback
                }
                if value.isNull { return fallback }
                guard fallback.isNull || fallback.typeName == value.typeName else {
                    throw TalangFailure("the value is \(value.typeName) but the fallback \(fallback.typeName)")
                }
                return value
            }.recoveringFailedReads,
            .specialForm("kv", category, [], repeating: .any, returns: .map(.any),
                "Builds a map from `[Key, value]` pairs: `[\"kv\", [\"Key1\", \"Hello\"], [\"Key2\", true]]`.",
                examples: [Example("(kv (Key1 \"Hello\") (Key2 true) (Key3 123))", "{\"Key1\":\"Hello\",\"Key2\":true,\"Key3\":123}")]),
        ]
    }
}
