/// The core library, in documentation order. Overloads of one name are tried in this order
/// (so `+` on two `any` values is the decimal form).
enum CoreLibrary {
    static var definitions: [FunctionDefinition] {
        Arithmetic.definitions + Comparison.definitions + Logic.definitions + Strings.definitions
            + Lists.definitions + Maps.definitions + Times.definitions + Misc.definitions
    }
}

extension FunctionDefinition {
    /// A core definition, declared compactly.
    static func core(
        _ name: String, _ category: String, _ parameters: [Parameter], repeating: TalangType? = nil,
        returns: TalangType, _ description: String, examples: [Example] = [],
        _ implementation: @escaping Implementation
    ) -> FunctionDefinition {
        FunctionDefinition(
            name: name, signature: Signature(parameters, repeating: repeating, returns: returns),
            description: description, examples: examples, category: category, isPure: name != "days",
            implementation: implementation)
    }

    /// A form the checker handles itself (`.`, `kv`, `set`); documented like a function.
    static func specialForm(
        _ name: String, _ category: String, _ parameters: [Parameter], repeating: TalangType? = nil,
        returns: TalangType, _ description: String, examples: [Example] = []
    ) -> FunctionDefinition {
        var definition = core(name, category, parameters, repeating: repeating, returns: returns, description,
            examples: examples) { _ in throw TalangFailure("special forms are compiled by the checker") }
        definition.isSpecialForm = true
        return definition
    }
}

extension FunctionDefinition {
    var countingCollectionsAsTrue: FunctionDefinition {
        var definition = self
        definition.collectionsAreTrue = true
        return definition
    }

    var recoveringFailedReads: FunctionDefinition {
        var definition = self
        definition.recoversFailedReads = true
        return definition
    }
}

extension Parameter {
    static let any = Parameter.value(.any)
    static let boolean = Parameter.value(.boolean)
    static let decimal = Parameter.value(.decimal)
    static let string = Parameter.value(.string)
    static let time = Parameter.value(.time)
    static let t = Parameter.value(.t)
    static func list(_ element: TalangType) -> Parameter { .value(.list(element)) }
}

extension TalangType {
    /// The type variables of core signatures.
    static let t = TalangType.generic("T")
    static let u = TalangType.generic("U")
}
