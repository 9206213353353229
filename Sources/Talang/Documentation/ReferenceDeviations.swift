/// Where Sconto's Talang answers differently from the reference interpreter (talon-one/talang) on
/// purpose. `Tests/TalangTests/Vectors/talang-reference.json` holds the reference's own test cases;
/// each case that differs names one of these keys, and a test keeps the two lists identical.
extension Documentation {
    public static let referenceDeviations: [(key: String, reason: String)] = [
        ("unresolved-call",
         "The reference returns a call that no overload fits (`(+ 1)`, `(contains \"Hello\")`, `(item (. List) A)`, `FN Hello World`) unevaluated, as data. Sconto's checker rejects it with the call's pointer, so a mistyped rule is refused when it is saved instead of evaluating to code that is neither true nor false."),
        ("division-precision",
         "Sconto divides exact decimals to 38 significant digits; the reference rounds each quotient to 16 significant digits (and `daysBetween` goes through a binary float). Both agree on the reference's digits; money is rounded explicitly (`round`) either way."),
        ("number-text",
         "A string literal holding a number is a decimal where a decimal is wanted, also when quoted in the text form, so `(+ \"2\" 2)` is 4 where the reference fails. Sconto reads both forms with one reader, and in the JSON form (how Talon.One stores rules) numbers often arrive as strings: `[\">\", [\".\", \"Session\", \"Total\"], \"100\"]` must compare numbers, as the reference's reading of unquoted words does."),
        ("templates",
         "Templates (`setTemplate`, `(! name …)`) are not part of Sconto's Talang: `!` is negation here, and hosts register typed functions instead, so the checker can type every call before it runs."),
    ]

    /// The "Deviations from the reference" section of docs/talang.md.
    static var deviationsSection: String {
        var text = """

            ## Deviations from the reference

            Every case of the reference interpreter's own test suite (talon-one/talang) runs as a test vector
            (`Tests/TalangTests/Vectors/talang-reference.json`, each with its source file and test named) and
            evaluates as there, except these deliberate differences:


            """
        for deviation in referenceDeviations {
            text += "- `\(deviation.key)`: \(deviation.reason)\n"
        }
        return text
    }
}
