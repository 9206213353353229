import Foundation
import PromotionEngine

/// `RuleFailureReason`: why a rule did not apply. The spec spells the ids `campaignID`, `rulesetID`, `couponID`.
struct RuleFailureBody: Encodable, Sendable {
    var campaignID: Int64
    var campaignName: String
    var rulesetID: Int64
    var couponID: Int64?
    var couponValue: String?
    var ruleIndex: Int
    var ruleName: String
    var conditionIndex: Int?
    var effectIndex: Int?
    var details: String

    init(_ failure: RuleFailure) {
        campaignID = failure.campaignId
        campaignName = failure.campaignName
        rulesetID = failure.rulesetId
        couponID = failure.couponId
        couponValue = failure.couponValue
        ruleIndex = failure.ruleIndex
        ruleName = failure.ruleName
        conditionIndex = failure.conditionIndex
        effectIndex = failure.effectIndex
        details = failure.details
    }
}
