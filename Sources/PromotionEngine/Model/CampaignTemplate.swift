import Foundation

/// A campaign blueprint (`CampaignTemplate`): settings and rules that campaigns are created from, with
/// parameters whose values are given at creation (`createCampaignFromTemplate`).
///
/// A rule refers to a parameter as `[".", "Template", "<name>"]`; creating a campaign replaces each such
/// reference with the value given for it, so the campaign's ruleset is ordinary Talang, checked like any other.
public struct CampaignTemplate: Sendable, Hashable {
    public var id: Int64
    public var accountId: Int64
    public var userId: Int64
    public var created: Date
    public var updated: Date
    public var settings: CampaignTemplateSettings

    public init(id: Int64, accountId: Int64, userId: Int64, created: Date, updated: Date,
                settings: CampaignTemplateSettings) {
        self.id = id
        self.accountId = accountId
        self.userId = userId
        self.created = created
        self.updated = updated
        self.settings = settings
    }
}

/// What a user sets on a template (the SDK's `NewCampaignTemplate`, plus `rules`: Sconto's way to give the
/// template its ruleset, which Talon.One builds in its UI).
public struct CampaignTemplateSettings: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    public var instructions: String
    public var campaignAttributes: [String: JSONValue]?
    public var couponAttributes: [String: JSONValue]?
    public var state: CampaignTemplateState
    public var tags: [String]?
    public var features: [CampaignFeature]?
    public var couponSettings: JSONValue?
    public var referralSettings: JSONValue?
    public var limits: [LimitConfig]?
    public var templateParams: [TemplateParameter]?
    public var applicationsIds: [Int64]?
    public var campaignType: String?
    public var rules: [RuleDefinition]?

    public init(name: String, description: String = "", instructions: String = "",
                state: CampaignTemplateState = .enabled, templateParams: [TemplateParameter] = [],
                rules: [RuleDefinition] = []) {
        self.name = name
        self.description = description
        self.instructions = instructions
        self.state = state
        self.templateParams = templateParams
        self.rules = rules
    }

    /// Problems with pointers into the body: names, parameters, and rules that do not check with every
    /// parameter standing in as a value of its type.
    public func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(.init(pointer: "/name", message: "must not be empty"))
        }
        var seen: Set<String> = []
        for (index, parameter) in (templateParams ?? []).enumerated() {
            if parameter.name.isEmpty || !seen.insert(parameter.name).inserted {
                issues.append(.init(pointer: "/templateParams/\(index)/name", message: "must be a name not used before"))
            }
        }
        if let limits {
            for (index, limit) in limits.enumerated() { issues += limit.validate(at: "/limits/\(index)") }
        }
        issues += CampaignSettings.codeGeneratorIssues(couponSettings, at: "/couponSettings")
        issues += CampaignSettings.codeGeneratorIssues(referralSettings, at: "/referralSettings")
        let placeholders = Dictionary((templateParams ?? []).map { ($0.name, $0.type.placeholder) },
                                      uniquingKeysWith: { first, _ in first })
        if let rules {
            let (bound, unknown) = Self.bind(rules, values: placeholders)
            issues += unknown.map { .init(pointer: $0, message: "is not a parameter of this template") }
            if unknown.isEmpty { issues += RulesetCompiler.check(bound) }
        }
        return issues
    }

    /// The template's rules with the given parameter values in place of their references; throws with the
    /// pointer of a missing, unknown or mistyped value (`/templateParamValues/…`).
    public func rules(binding values: [String: JSONValue]) throws -> [RuleDefinition] {
        var issues: [ValidationIssue] = []
        let parameters = templateParams ?? []
        for parameter in parameters where values[parameter.name] == nil {
            issues.append(.init(pointer: "/templateParamValues", message: "needs a value for '\(parameter.name)'"))
        }
        for name in values.keys.sorted() where !parameters.contains(where: { $0.name == name }) {
            issues.append(.init(pointer: "/templateParamValues", message: "'\(name)' is not a parameter of this template"))
        }
        for parameter in parameters {
            if let value = values[parameter.name], !parameter.type.accepts(value) {
                issues.append(.init(pointer: "/templateParamValues",
                                    message: "'\(parameter.name)' must be a \(parameter.type.rawValue)"))
            }
        }
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        let bound = Self.bind(rules ?? [], values: values).rules
        let checked = RulesetCompiler.check(bound)
        guard checked.isEmpty else { throw ValidationFailure(checked) }
        return bound
    }

    /// Replaces every `[".", "Template", name]` with its value; also returns the pointers of references to
    /// names that have no value.
    static func bind(_ rules: [RuleDefinition], values: [String: JSONValue]) -> (rules: [RuleDefinition], unknown: [String]) {
        var unknown: [String] = []
        func replace(_ json: JSONValue, at pointer: String) -> JSONValue {
            guard case .array(let items) = json else { return json }
            if items.count == 3, items[0] == .string("."), items[1] == .string("Template"),
               case .string(let name) = items[2] {
                // A list value becomes a `list` call: a bare JSON array would read as a function call.
                if case .array(let list)? = values[name] { return .array([.string("list")] + list) }
                if let value = values[name] { return value }
                unknown.append(pointer)
                return json
            }
            return .array(items.enumerated().map { replace($1, at: "\(pointer)/\($0)") })
        }
        let bound = rules.enumerated().map { index, rule in
            var rule = rule
            rule.condition = replace(rule.condition, at: "/rules/\(index)/condition")
            rule.effects = rule.effects.enumerated().map { replace($1, at: "/rules/\(index)/effects/\($0)") }
            return rule
        }
        return (bound, unknown)
    }
}

public enum CampaignTemplateState: String, Sendable, Hashable, Codable, CaseIterable, ClosedSetDecodable {
    case draft, enabled, disabled
}

/// A value a template asks for (`CampaignTemplateParams`).
public struct TemplateParameter: Sendable, Hashable, Codable {
    public var name: String
    public var type: TemplateParameterType
    public var description: String
    public var attributeId: Int64?

    public init(name: String, type: TemplateParameterType, description: String = "", attributeId: Int64? = nil) {
        self.name = name
        self.type = type
        self.description = description
        self.attributeId = attributeId
    }
}

public enum TemplateParameterType: String, Sendable, Hashable, Codable, CaseIterable, ClosedSetDecodable {
    case string, number, boolean, percent, time
    case stringList = "(list string)"
    case numberList = "(list number)"

    /// A value of the type, standing in for the parameter when a template's rules are checked.
    var placeholder: JSONValue {
        switch self {
        case .string, .time: .string("")
        case .number, .percent: .number(1)
        case .boolean: .bool(true)
        case .stringList: .array([.string("")])
        case .numberList: .array([.number(1)])
        }
    }

    func accepts(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.string, .string), (.time, .string), (.number, .number), (.percent, .number), (.boolean, .bool):
            true
        case (.stringList, .array(let items)):
            items.allSatisfy { if case .string = $0 { true } else { false } }
        case (.numberList, .array(let items)):
            items.allSatisfy { if case .number = $0 { true } else { false } }
        default: false
        }
    }
}
