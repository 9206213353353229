import Foundation

/// Why a rule did not apply (`ruleFailureReasons`): collected only when a client asks, since finding the part
/// of a condition that failed evaluates it again piece by piece.
public struct RuleFailure: Sendable, Hashable {
    public var campaignId: Int64
    public var campaignName: String
    public var rulesetId: Int64
    public var ruleIndex: Int
    public var ruleName: String
    /// The coupon the rule was evaluated with, if any.
    public var couponId: Int64?
    public var couponValue: String?
    /// Which argument of the condition's top-level `and` was false (0-based), or 0 for a single condition.
    public var conditionIndex: Int?
    /// Which effect could not be applied (the rule's effects then all were dropped).
    public var effectIndex: Int?
    /// What failed, with the JSON pointer of the failing part in the ruleset (`/rules/0/condition/2`).
    public var details: String

    public init(campaignId: Int64, campaignName: String, rulesetId: Int64, ruleIndex: Int, ruleName: String,
                couponId: Int64? = nil, couponValue: String? = nil, conditionIndex: Int? = nil, effectIndex: Int? = nil,
                details: String) {
        self.campaignId = campaignId
        self.campaignName = campaignName
        self.rulesetId = rulesetId
        self.ruleIndex = ruleIndex
        self.ruleName = ruleName
        self.couponId = couponId
        self.couponValue = couponValue
        self.conditionIndex = conditionIndex
        self.effectIndex = effectIndex
        self.details = details
    }
}

extension CompiledRule {
    /// The first part of the condition that does not hold in `scope`: its index and why.
    func failedPart(in scope: RuleScope) -> (index: Int, details: String) {
        for (index, part) in conditionParts.enumerated() {
            do {
                if try !part.test(scope) { return (index, "condition \(part.pointer) is false") }
            } catch {
                return (index, "condition \(part.pointer) could not be evaluated: \(error)")
            }
        }
        return (0, "the condition is false")
    }
}
