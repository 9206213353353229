/// Talang, the rule language of Talon.One campaigns: parse → check → compile → evaluate.
///
/// Public API (kept small; everything else is internal):
///
///     Talang.parse(json:) / Talang.parse(text:) / Talang.parse(_:)   -> TalangExpression  (throws TalangError)
///     Talang.expression(from: TalangValue)                            -> TalangExpression  (JSON already decoded)
///     Talang.check(_:in:)                                             -> [TalangDiagnostic] (every problem, in order)
///     Talang.compile(_:in:)                                           -> CompiledExpression (throws TalangError)
///     CompiledExpression.evaluate(bindings:context:now:)              -> TalangValue       (throws TalangError)
///
///     Environment.core            the core library; `register(...)` host functions (typed signatures,
///                                 description, implementation; `isPure` to allow compile-time folding),
///                                 `bind(_:_:)` root bindings with a `TalangType` schema
///     TalangValue                 null, boolean, decimal, string, time, list, map; `init(jsonText:)`,
///                                 `jsonText`, literal syntax, `readingTimes` (RFC 3339 strings → times)
///     TalangType                  any, null, boolean, decimal, string, time, list, map, object (fields,
///                                 open or closed), generic; `inferred(from:)`
///     TalangTime                  an instant with its UTC offset; `init(rfc3339:)`, `init(_: Date)`, `date`
///     Signature / Parameter       the typed forms of a function, lambda parameters included
///     Arguments                   what an implementation receives: lazy typed accessors (`decimal(0)`),
///                                 `call(_:with:)` for lambdas, `context(as:)` for the host's state
///     TalangDiagnostic            `pointer` (JSON pointer from the expression root) and `message`
///     TalangError / TalangFailure stage + diagnostics (+ a host's underlying error) / what implementations throw
///     Limits                      nesting depth, steps, list and string sizes
///     Documentation.markdown(for:) docs/talang.md, generated from the declarations
///
/// Example (the engine's side):
///
///     var environment = Environment.core
///     environment.bind("Session", .object(["Total": .decimal, "CartItems": .list(.object(["Price": .decimal]))]))
///     environment.register("setDiscount", Signature([.value(.string), .value(.decimal)], returns: .null),
///                          description: "Adds a discount effect") { arguments in
///         let scope = try arguments.context(as: RuleScope.self)
///         scope.setDiscount(name: try arguments.string(0), value: try arguments.decimal(1))
///         return .null
///     }
///     let rule = try Talang.compile(Talang.parse(json: #"["setDiscount", "10%", ["*", [".", "Session", "Total"], 0.1]]"#), in: environment)
///     _ = try rule.evaluate(bindings: ["Session": ["Total": 120, "CartItems": []]], context: scope)
public enum Talang {
    /// Parses the JSON form: `["+", 1, [".", "Session", "Total"]]`.
    public static func parse(json: String, limits: Limits = Limits()) throws(TalangError) -> TalangExpression {
        try ExpressionReader.read(JSONParser.parse(json, limits: limits), limits: limits)
    }

    /// Parses the text form: `(+ 1 (. Session Total))`.
    public static func parse(text: String, limits: Limits = Limits()) throws(TalangError) -> TalangExpression {
        try TextParser.parse(text, limits: limits)
    }

    /// Parses either form: JSON when the source starts with `[` or `{`, text otherwise.
    public static func parse(_ source: String, limits: Limits = Limits()) throws(TalangError) -> TalangExpression {
        let trimmed = source.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        return trimmed.first == "[" || trimmed.first == "{" ? try parse(json: source, limits: limits) : try parse(text: source, limits: limits)
    }

    /// Reads the JSON form from an already decoded value (a ruleset's condition, say).
    public static func expression(from json: TalangValue, limits: Limits = Limits()) throws(TalangError) -> TalangExpression {
        try ExpressionReader.read(json, limits: limits)
    }

    /// Every problem the checker finds: unknown functions and bindings, wrong arity, wrong types,
    /// unknown attribute paths. Empty when the expression may be compiled.
    public static func check(_ expression: TalangExpression, in environment: Environment) -> [TalangDiagnostic] {
        var checker = Checker(environment: environment)
        _ = checker.check(expression, pointer: "", depth: 1)
        return checker.diagnostics
    }

    /// Checks and compiles; throws a `TalangError` of stage `.check` listing every problem.
    public static func compile(_ expression: TalangExpression, in environment: Environment) throws(TalangError)
        -> CompiledExpression
    {
        var checker = Checker(environment: environment)
        let typed = checker.check(expression, pointer: "", depth: 1)
        let diagnostics = checker.diagnostics
        guard diagnostics.isEmpty else { throw TalangError(.check, diagnostics) }
        return CompiledExpression(
            expression: expression, type: typed.type, run: Compiler(limits: environment.limits).compile(typed.node), slotCount: checker.slotCount,
            limits: environment.limits)
    }
}
