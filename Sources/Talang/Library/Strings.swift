import Foundation

/// `+ concat contains notContains startsWith endsWith ~ split join toString firstName lastName`.
enum Strings {
    static let category = "Strings"

    static var definitions: [FunctionDefinition] {
        [
            .core("+", category, [.string, .string], repeating: .string, returns: .string, "Concatenates strings.",
                examples: [Example("(+ \"Hello\" \" \" \"World\")", "\"Hello World\"")], Arithmetic.plus),
            .core("concat", category, [.string, .string], repeating: .string, returns: .string,
                "Concatenates strings.",
                examples: [Example("(concat \"Hello\" \" \" (toString (+ 1 2)))", "\"Hello 3\"")], Arithmetic.plus),
            test("contains", "Whether the first string contains every following one.",
                [Example("(contains \"Hello World\" \"Hello\" \"World\")", "true"),
                 Example("(contains \"Hello World\" \"Hello\" \"Universe\")", "false")]) { $0.contains($1) },
            .core("notContains", category, [.string, .string], repeating: .string, returns: .boolean,
                "Whether the first string contains none of the following ones.",
                examples: [Example("(notContains \"Hello World\" \"Universe\")", "true"),
                           Example("(notContains \"Hello World\" \"Hello\" \"Universe\")", "false")]
            ) { arguments in
                let text = try arguments.string(0)
                for index in 1..<arguments.count where text.contains(try arguments.string(index)) { return false }
                return true
            },
            test("startsWith", "Whether the first string starts with every following one.",
                [Example("(startsWith \"Hello World\" \"Hello\" \"Hell\")", "true"),
                 Example("(startsWith \"Hello World\" \"World\")", "false")]) { $0.hasPrefix($1) },
            test("endsWith", "Whether the first string ends with every following one.",
                [Example("(endsWith \"Hello World\" \"World\")", "true"),
                 Example("(endsWith \"Hello World\" \"Hello\")", "false")]) { $0.hasSuffix($1) },
            .core("~", category, [.string, .string], repeating: .string, returns: .boolean,
                "Whether the regular expression (first argument) matches somewhere in every following string. Patterns with nested repetition or back-references are rejected, to keep matching fast.",
                examples: [Example("(~ \"^[A-Z]+-[0-9]+$\" \"XJK-992\")", "true"),
                           Example("(~ \"[0-9]\" \"Hello\" \"W0rld\")", "false"), Example("(~ \"(a+)+$\" \"aaa\")", nil)]
            ) { arguments in
                let pattern = try SafeRegex(try arguments.string(0))
                for index in 1..<arguments.count where !(try pattern.matches(try arguments.string(index))) { return false }
                return true
            },
            .core("split", category, [.string, .string], returns: .list(.string),
                "Splits a string at every occurrence of the separator (into characters when it is empty).",
                examples: [Example("(split \"1,2,3,a\" \",\")", "[\"1\",\"2\",\"3\",\"a\"]"),
                           Example("(split \"ab\" \"\")", "[\"a\",\"b\"]")]
            ) { arguments in
                let text = try arguments.string(0)
                let separator = try arguments.string(1)
                let parts = separator.isEmpty ? text.map(String.init) : text.components(separatedBy: separator)
                try arguments.checkCount(parts.count)
                return .list(parts.map { .string($0) })
            },
            .core("join", category, [.list(.string), .string], returns: .string,
                "Joins a list of strings with a glue string.",
                examples: [Example("(join (list \"hello\" \"world\") \"-\")", "\"hello-world\""),
                           Example("(join (list) \",\")", "\"\"")]
            ) { arguments in
                var parts: [String] = []
                for value in try arguments.list(0) {
                    guard case .string(let text) = value else { throw TalangFailure.type(expected: "string", got: value) }
                    parts.append(text)
                }
                let joined = parts.joined(separator: try arguments.string(1))
                try arguments.checkLength(joined)
                return .string(joined)
            },
            .core("toString", category, [.any], returns: .string,
                "The argument as text: decimals in plain notation, times in RFC 3339, lists and maps as JSON.",
                examples: [Example("(toString 1.50)", "\"1.5\""), Example("(toString true)", "\"true\"")]
            ) { arguments in
                .string(try arguments.value(0).displayText)
            },
            .core("firstName", category, [.string], returns: .string,
                "The first space-separated word of a string (as the reference implementation does).",
                examples: [Example("(firstName \"Alex Unger\")", "\"Alex\""), Example("(firstName \"\")", "\"\"")]
            ) { arguments in
                .string(String(try arguments.string(0).split(separator: " ", omittingEmptySubsequences: false).first ?? ""))
            },
            .core("lastName", category, [.string], returns: .string, "The last space-separated word of a string.",
                examples: [Example("(lastName \"Mr Foo Bar\")", "\"Bar\"")]
            ) { arguments in
                .string(String(try arguments.string(0).split(separator: " ", omittingEmptySubsequences: false).last ?? ""))
            },
        ]
    }

    private static func test(
        _ name: String, _ description: String, _ examples: [Example],
        _ holds: @escaping @Sendable (String, String) -> Bool
    ) -> FunctionDefinition {
        .core(name, category, [.string, .string], repeating: .string, returns: .boolean, description,
            examples: examples) { arguments in
            let text = try arguments.string(0)
            for index in 1..<arguments.count where !holds(text, try arguments.string(index)) { return false }
            return true
        }
    }
}
