/// Writes the function reference (`docs/talang.md`) from the declarations themselves, so the
/// documentation lists exactly what the checker accepts. A test fails when the file is stale.
public enum Documentation {
    static let categoryOrder = ["Arithmetic", "Comparison", "Logic", "Strings", "Lists", "Maps", "Time", "Miscellaneous"]

    /// The Markdown reference of every function in the environment (core functions by default).
    public static func markdown(for environment: Environment = .core) -> String {
        let header = """
            # Talang function reference

            <!-- Generated from the declarations in Sources/Talang/Library by `sconto talang docs`; do not edit. -->

            Talang expressions are JSON arrays in S-expression form (`["+", 1, [".", "Session", "Total"]]`) or
            the equivalent text form (`(+ 1 (. Session Total))`). A lambda is `[["Item"], body]` (text:
            `((Item) body)`); the reference's older form `["exists", list, "Item", body]` is read as
            `["exists", list, [["Item"], body]]`. Several expressions in a list (`[["set", "X", 2], ["+", [".", "X"], 1]]`,
            text: `((set X 2) (+ (. X) 1))`) run in order; the value is the last one's. Function names are matched
            ignoring case when no exact spelling exists (`weekDay` is `weekday`), as in the reference. Types: `decimal` (exact), `string`, `boolean`, `time` (RFC 3339), `list<T>`,
            `map<T>`, objects `{Field: type}`, `null`, and `any` (loosely typed data, checked at run time).
            `T` and `U` are type variables; `T...` means any number of further arguments of that type.
            A string literal holding an RFC 3339 time or a number is accepted where a time or a decimal is
            expected, as in the reference (`["<", "2006-01-02T15:04:05Z", ...]`, `[">", ..., "100"]`).

            Every call is checked before it runs: unknown functions, wrong argument counts or types and unknown
            attribute paths are reported with the JSON pointer of the offending node. Division by zero, a
            missing attribute or an item out of range fail the evaluation with the pointer of the failing call.

            Each example shows its result as JSON (`error` when it fails); the test suite runs them all.

            """
        return markdown(for: environment, header: header, categories: nil) + deviationsSection
    }

    /// The reference of the functions in `categories` (all when nil) and the environment's bindings, after
    /// `header`: how a host documents what it adds to Talang (the promotion engine's rule functions).
    public static func markdown(for environment: Environment, header: String, categories only: Set<String>?) -> String {
        var text = header
        let definitions = environment.allDefinitions.filter { only?.contains($0.category) ?? true }
        let categories = Set(definitions.map(\.category))
        let ordered = categoryOrder.filter(categories.contains) + categories.subtracting(categoryOrder).sorted()
        for category in ordered {
            text += "\n## \(category)\n"
            for definition in definitions where definition.category == category {
                text += "\n### `\(definition.name)\(definition.signature)`\n\n\(definition.description)\n"
                guard !definition.examples.isEmpty else { continue }
                text += "\n```lisp\n"
                let width = definition.examples.map(\.expression.count).max() ?? 0
                for example in definition.examples {
                    let padding = String(repeating: " ", count: width - example.expression.count)
                    let result = example.isVerified ? (example.result ?? "error") : "depends on the current time"
                    text += "\(example.expression)\(padding)  ; \(result)\n"
                }
                text += "```\n"
                if let first = definition.examples.first, let parsed = try? Talang.parse(text: first.expression) {
                    text += "\nJSON form: `\(parsed.jsonText)`\n"
                }
            }
        }
        if !environment.bindings.isEmpty {
            text += "\n## Bindings\n\n| name | type | description |\n|---|---|---|\n"
            for name in environment.bindings.keys.sorted() {
                guard let binding = environment.bindings[name] else { continue }
                text += "| `\(name)` | `\(binding.type)` | \(binding.description) |\n"
            }
        }
        return text
    }
}
