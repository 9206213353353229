/// What expressions may use: functions (core and host) and typed root bindings (`Session`, `Profile`).
///
/// A value type: build it once (start from `Environment.core`, register the host's functions and
/// bindings), then share it; it is `Sendable`. Talang knows nothing of promotions — the engine
/// registers `couponValid`, `setDiscount`, `Session` and friends here.
public struct Environment: Sendable {
    public private(set) var functions: [String: [FunctionDefinition]] = [:]
    public private(set) var bindings: [String: BindingDefinition] = [:]
    /// Function names in the order they were first registered (the documentation's order).
    private var names: [String] = []
    /// Lowercased name → registered name: the reference resolves function names case-insensitively
    /// (`weekDay` is `weekday`), exact spellings first.
    private var caseInsensitiveNames: [String: String] = [:]
    public var limits: Limits

    /// An environment with no functions at all (hosts that want a restricted language).
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Talang's core library: arithmetic, comparison, logic, strings, lists, maps, time, misc.
    public static let core: Environment = {
        var environment = Environment()
        for definition in CoreLibrary.definitions { environment.register(definition) }
        return environment
    }()

    /// Adds an overload. Overloads of one name are tried in registration order; registering a
    /// signature that already exists replaces it (hosts may override core functions).
    public mutating func register(_ definition: FunctionDefinition) {
        if functions[definition.name] == nil {
            names.append(definition.name)
            caseInsensitiveNames[definition.name.lowercased()] = caseInsensitiveNames[definition.name.lowercased()] ?? definition.name
        }
        var overloads = functions[definition.name, default: []]
        if let existing = overloads.firstIndex(where: { $0.signature == definition.signature }) {
            overloads[existing] = definition
        } else {
            overloads.append(definition)
        }
        functions[definition.name] = overloads
    }

    /// Registers a function: one definition per signature, sharing description and implementation.
    public mutating func register(
        _ name: String, _ signatures: Signature..., description: String, examples: [Example] = [],
        category: String = "Host", implementation: @escaping Implementation
    ) {
        for signature in signatures {
            register(
                FunctionDefinition(
                    name: name, signature: signature, description: description, examples: examples,
                    category: category, implementation: implementation))
        }
    }

    /// The overloads of a name as written, else of the name spelled in another case (nil when unknown).
    func overloads(named name: String) -> [FunctionDefinition]? {
        functions[name] ?? caseInsensitiveNames[name.lowercased()].flatMap { functions[$0] }
    }

    /// Declares a root binding the checker knows (`Session`: an object with `Total: decimal`, …).
    public mutating func bind(_ name: String, _ type: TalangType, description: String = "") {
        bindings[name] = BindingDefinition(name: name, type: type, description: description)
    }

    /// A copy with one more root binding (convenient when deriving environments).
    public func with(binding name: String, _ type: TalangType, description: String = "") -> Environment {
        var copy = self
        copy.bind(name, type, description: description)
        return copy
    }

    /// Every definition in registration order, overloads together (a stable order for documentation).
    public var allDefinitions: [FunctionDefinition] {
        names.flatMap { functions[$0] ?? [] }
    }
}

/// How a function computes its value from its (lazily evaluated) arguments.
public typealias Implementation = @Sendable (Arguments) throws -> TalangValue

/// One overload of a function: name, typed signature, documentation, implementation.
public struct FunctionDefinition: Sendable {
    public var name: String
    public var signature: Signature
    public var description: String
    public var examples: [Example]
    /// The section of the generated documentation.
    public var category: String
    public var implementation: Implementation
    /// Special forms (`.`, `kv`, `set`) are typed and compiled by the checker itself; their
    /// definition only documents them.
    var isSpecialForm = false
    /// `and`/`or`: a list or map where a boolean is wanted counts as true, as in the reference.
    var collectionsAreTrue = false
    /// `catch`/`.|`: reads in the second argument that the checker cannot resolve fail at run time
    /// instead, so the fallback applies (the reference's `(catch 22 (. Profile Age))`).
    var recoversFailedReads = false
    /// A pure function depends only on its arguments (no context, no clock, no side effects), so
    /// calls with constant arguments are computed once, at compile time. Host functions are not
    /// pure unless they say so.
    public var isPure: Bool

    public init(
        name: String, signature: Signature, description: String, examples: [Example] = [], category: String = "Host",
        isPure: Bool = false, implementation: @escaping Implementation
    ) {
        self.isPure = isPure
        self.name = name
        self.signature = signature
        self.description = description
        self.examples = examples
        self.category = category
        self.implementation = implementation
    }
}

/// A documented example: an expression in text form and its result as JSON (or `error`).
/// The test suite evaluates every example, so the documentation cannot drift from the behaviour.
public struct Example: Sendable, Hashable {
    public var expression: String
    /// The expected result as JSON text, or nil when the expression must fail.
    public var result: String?
    /// False for examples whose result depends on the clock (`days`); they are only type-checked.
    public var isVerified: Bool

    public init(_ expression: String, _ result: String?, verified: Bool = true) {
        self.expression = expression
        self.result = result
        self.isVerified = verified
    }
}

/// A root name the checker resolves in `(. Name Field …)`.
public struct BindingDefinition: Sendable, Hashable {
    public var name: String
    public var type: TalangType
    public var description: String
}
