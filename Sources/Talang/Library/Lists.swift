import Foundation

/// List construction, access, ordering, aggregation and the lambda functions
/// (`map filter every exists sum sortByNumber sortByString`).
enum Lists {
    static let category = "Lists"

    static var definitions: [FunctionDefinition] {
        construction + access + ordering + aggregation + iteration
    }

    private static var construction: [FunctionDefinition] {
        [
            .core("list", category, [], repeating: .t, returns: .list(.t), "A list of the arguments.",
                examples: [Example("(list 1 true \"Hello\")", "[1,true,\"Hello\"]"), Example("(list)", "[]")]
            ) { arguments in
                .list(try (0..<arguments.count).map { try arguments.value($0) })
            },
            appending("append"),
            appending("push"),
        ]
    }

    private static func appending(_ name: String) -> FunctionDefinition {
        .core(name, category, [.list(.t), .t], repeating: .t, returns: .list(.t),
            "The list with the following arguments added at its end.",
            examples: [Example("(\(name) (list 1 2) 3 4)", "[1,2,3,4]")]
        ) { arguments in
            var elements = try arguments.list(0)
            try arguments.checkCount(elements.count + arguments.count - 1)
            for index in 1..<arguments.count { elements.append(try arguments.value(index)) }
            return .list(elements)
        }
    }

    private static var access: [FunctionDefinition] {
        [
            .core("head", category, [.list(.t)], returns: .t, "The first item, or null for an empty list.",
                examples: [Example("(head (list 1 2))", "1"), Example("(head (list))", "null")]
            ) { arguments in
                try arguments.list(0).first ?? .null
            },
            .core("tail", category, [.list(.t)], returns: .list(.t), "The list without its first item.",
                examples: [Example("(tail (list 1 2 3))", "[2,3]"), Example("(tail (list))", "[]")]
            ) { arguments in
                .list(Array(try arguments.list(0).dropFirst()))
            },
            .core("drop", category, [.list(.t)], returns: .list(.t), "The list without its last item.",
                examples: [Example("(drop (list 1 2 3))", "[1,2]"), Example("(drop (list))", "[]")]
            ) { arguments in
                .list(Array(try arguments.list(0).dropLast()))
            },
            .core("item", category, [.list(.t), .decimal], returns: .t,
                "The item at a zero-based position; a position outside the list is an error.",
                examples: [Example("(item (list \"a\" \"b\") 1)", "\"b\""), Example("(item (list \"a\") 3)", nil)]
            ) { arguments in
                let elements = try arguments.list(0)
                let position = try arguments.decimal(1)
                guard let index = DecimalArithmetic.exactInt(position), elements.indices.contains(index) else {
                    throw TalangFailure("there is no item at position \(position) (the list has \(elements.count))")
                }
                return elements[index]
            },
            .core("count", category, [.list(.any)], returns: .decimal, "The number of items.",
                examples: [Example("(count (list 1 2 3))", "3"), Example("(count (list))", "0")]
            ) { arguments in
                .decimal(Decimal(try arguments.list(0).count))
            },
            .core("isEmpty", category, [.list(.any)], returns: .boolean, "Whether the list has no items.",
                examples: [Example("(isEmpty (list))", "true"), Example("(isEmpty (list 1))", "false")]
            ) { arguments in
                .boolean(try arguments.list(0).isEmpty)
            },
        ]
    }

    private static var ordering: [FunctionDefinition] {
        [
            .core("reverse", category, [.list(.t)], returns: .list(.t), "The list in reverse order.",
                examples: [Example("(reverse (list 1 2 3))", "[3,2,1]")]
            ) { arguments in
                .list(try arguments.list(0).reversed())
            },
            .core("sort", category, [.list(.t)], returns: .list(.t),
                "The list sorted ascending: numbers by value, strings by code point, times by instant.",
                examples: [Example("(sort (list \"World\" \"Universe\"))", "[\"Universe\",\"World\"]"),
                           Example("(sort (list 10 9 100))", "[9,10,100]")]
            ) { arguments in
                .list(try arguments.list(0).sorted(by: TalangValue.ordered))
            },
            .core("sort", category, [.list(.t), .boolean], returns: .list(.t),
                "The list sorted; descending when the second argument is true.",
                examples: [Example("(sort (list 1 3 2) true)", "[3,2,1]")]
            ) { arguments in
                let sorted = try arguments.list(0).sorted(by: TalangValue.ordered)
                return .list(try arguments.boolean(1) ? sorted.reversed() : sorted)
            },
            .core("sortByNumber", category, [.list(.t), .lambda([.t], returns: .decimal), .boolean], returns: .list(.t),
                "The list sorted by the number the lambda gives each item; descending when the last argument is true. Stable.",
                examples: [Example("(sortByNumber (list 2 4 3 1) ((Item) (. Item)) true)", "[4,3,2,1]")]
            ) { arguments in
                try sorted(arguments) { key in
                    guard case .decimal = key else { throw TalangFailure.type(expected: "decimal", got: key) }
                }
            },
            .core("sortByString", category, [.list(.t), .lambda([.t], returns: .string), .boolean], returns: .list(.t),
                "The list sorted by the string the lambda gives each item; descending when the last argument is true. Stable.",
                examples: [Example("(sortByString (list \"b\" \"a\" \"z\") ((Item) (. Item)) false)", "[\"a\",\"b\",\"z\"]")]
            ) { arguments in
                try sorted(arguments) { key in
                    guard case .string = key else { throw TalangFailure.type(expected: "string", got: key) }
                }
            },
        ]
    }

    /// Sorts by lambda-computed keys, stably (ties keep their order, as Go's `SliceStable`).
    private static func sorted(
        _ arguments: Arguments, checkKey: (TalangValue) throws -> Void
    ) throws -> TalangValue {
        let elements = try arguments.list(0)
        var keyed: [(key: TalangValue, offset: Int, value: TalangValue)] = []
        for (offset, element) in elements.enumerated() {
            let key = try arguments.call(1, with: element)
            try checkKey(key)
            keyed.append((key, offset, element))
        }
        let descending = try arguments.boolean(2)
        keyed.sort { a, b in
            if TalangValue.ordered(a.key, b.key) { return !descending }
            if TalangValue.ordered(b.key, a.key) { return descending }
            return a.offset < b.offset
        }
        return .list(keyed.map(\.value))
    }

    private static var aggregation: [FunctionDefinition] {
        [
            extreme("min", "The smallest number in the list; items that are not numbers are skipped; an error when there is none.", { $0 < $1 },
                [Example("(min (list 3 -1 7))", "-1"), Example("(min (list))", nil)]),
            extreme("max", "The largest number in the list; items that are not numbers are skipped; an error when there is none.", { $0 > $1 },
                [Example("(max (list 3 4 17 15))", "17")]),
            .core("sum", category, [.list(.decimal)], returns: .decimal, "The sum of a list of numbers (0 for an empty list).",
                examples: [Example("(sum (list 1.5 2.5))", "4"), Example("(sum (list))", "0")]
            ) { arguments in
                var total = Decimal(0)
                for value in try arguments.list(0) {
                    guard case .decimal(let number) = value else { throw TalangFailure.type(expected: "decimal", got: value) }
                    total = try DecimalArithmetic.add(total, number)
                }
                return .decimal(total)
            },
            .core("sum", category, [.list(.t), .lambda([.t], returns: .decimal)], returns: .decimal,
                "The sum of the numbers the lambda gives each item.",
                examples: [Example("(sum (list (kv (Price 2)) (kv (Price 3))) ((Item) (. Item Price)))", "5")]
            ) { arguments in
                var total = Decimal(0)
                for element in try arguments.list(0) {
                    let value = try arguments.call(1, with: element)
                    guard case .decimal(let number) = value else { throw TalangFailure.type(expected: "decimal", got: value) }
                    total = try DecimalArithmetic.add(total, number)
                }
                return .decimal(total)
            },
        ]
    }

    private static func extreme(
        _ name: String, _ description: String, _ better: @escaping @Sendable (Decimal, Decimal) -> Bool,
        _ examples: [Example]
    ) -> FunctionDefinition {
        .core(name, category, [.list(.any)], returns: .decimal, description, examples: examples) { arguments in
            var best: Decimal?
            for case .decimal(let number) in try arguments.list(0) where best.map({ better(number, $0) }) ?? true {
                best = number
            }
            guard let best else { throw TalangFailure("the list has no numbers") }
            return .decimal(best)
        }
    }

    private static var iteration: [FunctionDefinition] {
        [
            .core("map", category, [.list(.t), .lambda([.t], returns: .u)], returns: .list(.u),
                "A list of what the lambda gives each item.",
                examples: [Example("(map (list \"World\" \"Universe\") ((x) (+ \"Hello \" (. x))))", "[\"Hello World\",\"Hello Universe\"]")]
            ) { arguments in
                .list(try arguments.list(0).map { try arguments.call(1, with: $0) })
            },
            .core("filter", category, [.list(.t), .lambda([.t], returns: .boolean)], returns: .list(.t),
                "The items for which the lambda is true.",
                examples: [Example("(filter (list 1 4 12 24) ((x) (> (. x) 10)))", "[12,24]")]
            ) { arguments in
                .list(try arguments.list(0).filter { try arguments.predicate(1, with: $0) })
            },
            .core("every", category, [.list(.t), .lambda([.t], returns: .boolean)], returns: .boolean,
                "Whether the lambda is true for every item (true for an empty list); stops at the first false.",
                examples: [Example("(every (list 2 4) ((x) (= 0 (mod (. x) 2))))", "true"), Example("(every (list) ((x) false))", "true")]
            ) { arguments in
                for element in try arguments.list(0) where !(try arguments.predicate(1, with: element)) { return false }
                return true
            },
            .core("exists", category, [.list(.t), .lambda([.t], returns: .boolean)], returns: .boolean,
                "Whether the lambda is true for at least one item (false for an empty list); stops at the first true.",
                examples: [Example("(exists (list \"hello\" \"world\") ((Item) (= (. Item) \"hello\")))", "true"),
                           Example("(exists (list) ((Item) true))", "false")]
            ) { arguments in
                for element in try arguments.list(0) where try arguments.predicate(1, with: element) { return true }
                return false
            },
        ]
    }
}
