import Foundation
import Talang

/// A rule as a ruleset stores it: Talang JSON for the condition and each effect.
public struct RuleDefinition: Sendable, Hashable, Codable {
    public var title: String
    public var description: String?
    public var condition: JSONValue
    public var effects: [JSONValue]

    public init(title: String, description: String? = nil, condition: JSONValue, effects: [JSONValue]) {
        self.title = title
        self.description = description
        self.condition = condition
        self.effects = effects
    }
}

/// Checks rulesets before they are saved and compiles them into closures when they are activated.
public enum RulesetCompiler {
    /// Every problem in the rules, located by a JSON pointer into the ruleset (`/rules/0/condition/2/1`).
    public static func check(_ rules: [RuleDefinition], at base: String = "/rules") -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        for (index, rule) in rules.enumerated() {
            let pointer = "\(base)/\(index)"
            if rule.title.trimmingCharacters(in: .whitespaces).isEmpty {
                issues.append(.init(pointer: pointer + "/title", message: "must not be empty"))
            }
            // The wire shape (Talon.One's `Rule`): a condition and each effect are Talang calls, JSON arrays.
            guard case .array = rule.condition else {
                issues.append(.init(pointer: pointer + "/condition",
                                    message: #"must be a Talang expression (a JSON array), e.g. ["and", true]"#))
                continue
            }
            issues += check(rule.condition, at: pointer + "/condition", expecting: .boolean)
            if let effect = firstEffectCall(in: rule.condition, at: pointer + "/condition") {
                // The engine evaluates conditions as pure reads (see RuleEngine.run).
                issues.append(.init(pointer: effect.pointer, message: "\(effect.name) is an effect; use it in effects, not in a condition"))
            }
            for (effectIndex, effect) in rule.effects.enumerated() {
                guard case .array = effect else {
                    issues.append(.init(pointer: "\(pointer)/effects/\(effectIndex)", message: "must be a Talang call (a JSON array)"))
                    continue
                }
                issues += check(effect, at: "\(pointer)/effects/\(effectIndex)", expecting: nil)
            }
        }
        return issues
    }

    /// Compiles checked rules; throws ``ValidationFailure`` when they do not check.
    public static func compile(_ rules: [RuleDefinition], cascading: Bool) throws -> [CompiledRule] {
        let issues = check(rules)
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        let environment = EngineLanguage.environment
        func condition(_ json: JSONValue) throws -> CompiledRule.Condition {
            let compiled = try Talang.compile(Talang.expression(from: TalangValue(json)), in: environment)
            return { scope in
                let value = try compiled.evaluate(
                    bindings: RuleBindings.make(scope, cascading: cascading), context: scope, now: scope.talangNow
                )
                return value == .boolean(true)
            }
        }
        return try rules.enumerated().map { index, rule in
            let effects = try rule.effects.map {
                try Talang.compile(Talang.expression(from: TalangValue($0)), in: environment)
            }
            // The parts `ruleFailureReasons` names: each argument of a top-level `and`, or the whole condition.
            let pointer = "/rules/\(index)/condition"
            var parts: [CompiledRule.ConditionPart] = []
            if case .array(let items) = rule.condition, items.first == .string("and"), items.count > 2 {
                for (position, item) in items.enumerated().dropFirst() {
                    parts.append(.init(pointer: "\(pointer)/\(position)", test: try condition(item)))
                }
            }
            var compiled = CompiledRule(
                title: rule.title,
                condition: try condition(rule.condition),
                effects: effects.map { effect in
                    { scope in
                        _ = try effect.evaluate(
                            bindings: RuleBindings.make(scope, cascading: cascading), context: scope,
                            now: scope.talangNow
                        )
                    }
                },
                requiresCoupon: requiresCoupon(rule.condition),
                requiredCartItem: requiredCartItem(rule.condition),
                conditionParts: parts.isEmpty ? [.init(pointer: pointer, test: try condition(rule.condition))] : parts
            )
            compiled.calledFunctions = calledFunctions(rule)
            return compiled
        }
    }

    /// The heads of the rule's calls (a superset: a list of strings counts its first as a call, which only
    /// makes a feature's data be read when it is not needed).
    static func calledFunctions(_ rule: RuleDefinition) -> Set<String> {
        var names: Set<String> = []
        func visit(_ json: JSONValue) {
            guard case .array(let parts) = json else { return }
            if case .string(let head)? = parts.first { names.insert(head) }
            parts.forEach(visit)
        }
        visit(rule.condition)
        rule.effects.forEach(visit)
        return names
    }

    static let effectFunctions: Set<String> = [
        "setDiscount", "setDiscountPerItem", "setDiscountPerAdditionalCost", "addFreeItem", "showNotification",
        "updateAttribute", "customEffect", "createCoupon", "addLoyaltyPoints", "deductLoyaltyPoints",
        "redeemLoyaltyPoints", "triggerWebhook", "reserveCoupon", "createReferral",
        "changeLoyaltyTierLevel",
    ]

    /// The first call of an effect function inside an expression, with its pointer.
    static func firstEffectCall(in json: JSONValue, at pointer: String) -> (name: String, pointer: String)? {
        guard case .array(let parts) = json else { return nil }
        if case .string(let head)? = parts.first, effectFunctions.contains(head) { return (head, pointer) }
        for (index, part) in parts.enumerated() {
            if let found = firstEffectCall(in: part, at: "\(pointer)/\(index)") { return found }
        }
        return nil
    }

    /// `["exists", [".", "Session", "CartItems"], [["X"], ["=", [".", "X", "Category"|"SKU"], "literal"]]]`,
    /// alone or among the direct arguments of a top-level `and`.
    public static func requiredCartItem(_ condition: JSONValue) -> CartItemRequirement? {
        guard case .array(let parts) = condition, case .string(let head)? = parts.first else { return nil }
        if head == "and" { return parts.dropFirst().lazy.compactMap(requiredCartItem).first }
        guard head == "exists", parts.count == 3,
              parts[1] == .array([.string("."), .string("Session"), .string("CartItems")]),
              case .array(let lambda) = parts[2], lambda.count == 2,
              case .array(let names) = lambda[0], names.count == 1, case .string(let item) = names[0],
              case .array(let body) = lambda[1], body.count == 3, body[0] == .string("=")
        else { return nil }
        for (path, literal) in [(body[1], body[2]), (body[2], body[1])] {
            guard case .string(let value) = literal,
                  case .array(let access) = path, access.count == 3, access[0] == .string("."),
                  access[1] == .string(item), case .string(let fieldName) = access[2],
                  let field = CartItemRequirement.Field(rawValue: fieldName)
            else { continue }
            return CartItemRequirement(field: field, value: value)
        }
        return nil
    }

    /// The names of the custom effects the rules emit (`["customEffect", "name", payload]` with a literal name).
    public static func customEffectNames(_ rules: [RuleDefinition]) -> Set<String> {
        var names: Set<String> = []
        func visit(_ json: JSONValue) {
            guard case .array(let parts) = json else { return }
            if parts.first == .string("customEffect"), parts.count > 1, case .string(let name) = parts[1] {
                names.insert(name)
            }
            parts.forEach(visit)
        }
        for rule in rules { rule.effects.forEach(visit) }
        return names
    }

    /// Whether a condition or an effect of the rules calls one of `functions`, at any depth.
    public static func calls(_ functions: Set<String>, in rules: [RuleDefinition]) -> Bool {
        rules.contains { !calledFunctions($0).isDisjoint(with: functions) }
    }

    /// `["couponValid"]`, or an `and` with it among its direct arguments.
    public static func requiresCoupon(_ condition: JSONValue) -> Bool {
        guard case .array(let parts) = condition, case .string(let head)? = parts.first else { return false }
        if head == "couponValid" { return parts.count == 1 }
        return head == "and" && parts.dropFirst().contains { requiresCoupon($0) }
    }

    private static func check(_ json: JSONValue, at pointer: String, expecting type: TalangType?) -> [ValidationIssue] {
        let expression: TalangExpression
        do {
            expression = try Talang.expression(from: TalangValue(json))
        } catch {
            return error.diagnostics.map { ValidationIssue(pointer: pointer + $0.pointer, message: $0.message) }
        }
        let diagnostics = Talang.check(expression, in: EngineLanguage.environment)
        return diagnostics.map { ValidationIssue(pointer: pointer + $0.pointer, message: $0.message) }
    }
}
