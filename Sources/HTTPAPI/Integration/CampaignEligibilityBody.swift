import Foundation
import PromotionEngine
import Storage

/// `responseContent: ["campaignEligibility"]`: a running campaign, whether the session was eligible for it and
/// for each of its rules (Talon.One's `CampaignEligibility` items).
struct CampaignEligibilityBody: Encodable, Sendable {
    var applicationId: Int64
    var id: Int64
    var name: String
    var description: String?
    var startTime: Date?
    var endTime: Date?
    var attributes: [String: JSONValue]
    var state: CampaignState
    var tags: [String]
    var features: [CampaignFeature]
    var eligibility: [Eligibility]
    var rules: [Rule]

    struct Eligibility: Encodable, Sendable {
        var passed: Bool
        var details: Details?
    }

    struct Details: Encodable, Sendable {
        var failureCode: String
    }

    struct Rule: Encodable, Sendable {
        var title: String
        var eligibility: [Eligibility]
    }

    init(_ campaign: Campaign, _ eligibility: CampaignEligibility) {
        applicationId = campaign.applicationId
        id = campaign.id
        name = campaign.settings.name
        description = campaign.settings.description
        startTime = campaign.settings.startTime
        endTime = campaign.settings.endTime
        attributes = campaign.settings.attributes ?? [:]
        state = campaign.settings.state
        tags = campaign.settings.tags
        features = campaign.settings.features
        self.eligibility = [Eligibility(passed: eligibility.passed, details: eligibility.failure.map {
            Details(failureCode: $0.rawValue)
        })]
        rules = eligibility.rules.map { Rule(title: $0.title, eligibility: [Eligibility(passed: $0.passed)]) }
    }

    /// The bodies for an evaluation's eligibility list, with the campaigns the commit read.
    static func list(_ eligibility: [CampaignEligibility], campaigns: [Int64: Campaign]) -> [CampaignEligibilityBody] {
        eligibility.compactMap { item in campaigns[item.campaignId].map { CampaignEligibilityBody($0, item) } }
    }
}
