import Foundation

/// Whether a session was eligible for each running campaign, and for each of its rules
/// (`responseContent: ["campaignEligibility"]`). Derived from an evaluation that recorded its rule failures.
public struct CampaignEligibility: Sendable, Hashable {
    public var campaignId: Int64
    public var passed: Bool
    /// Why not, when not passed.
    public var failure: Failure?
    public var rules: [RuleEligibility]

    public enum Failure: String, Sendable, Hashable {
        /// The campaign ran and none of its rules applied.
        case allRulesFailed = "ALL_RULES_FAILED"
        /// The campaign did not run (another campaign was exclusive, or it was not among the evaluable ones).
        case skipped = "SKIPPED"
    }

    public struct RuleEligibility: Sendable, Hashable {
        public var title: String
        public var passed: Bool
    }

    /// The running campaigns of `programs` at `now`, judged by which triggered and which rules failed.
    public static func of(
        programs: [CampaignProgram], triggered: [Int64], failures: [RuleFailure], evaluable: Set<Int64>?, now: Date
    ) -> [CampaignEligibility] {
        let triggered = Set(triggered)
        let failedRules = Set(failures.map { RuleKey(campaignId: $0.campaignId, ruleIndex: $0.ruleIndex) })
        let ran = Set(failures.map(\.campaignId)).union(triggered)
        return programs.filter { $0.isRunning(at: now) }.map { program in
            let skipped = !(evaluable?.contains(program.campaignId) ?? true) || !ran.contains(program.campaignId)
            let rules = program.rules.enumerated().map { index, rule in
                RuleEligibility(
                    title: rule.title,
                    passed: !skipped && !failedRules.contains(RuleKey(campaignId: program.campaignId, ruleIndex: index))
                )
            }
            let passed = triggered.contains(program.campaignId)
            return CampaignEligibility(
                campaignId: program.campaignId, passed: passed,
                failure: passed ? nil : (skipped ? .skipped : .allRulesFailed), rules: rules
            )
        }
    }

    private struct RuleKey: Hashable {
        var campaignId: Int64
        var ruleIndex: Int
    }
}
