import Foundation
import PromotionEngine
import Services
import Storage

extension AnswerContent {
    /// The parts of a session update's `responseContent` that the commit reads.
    init(_ content: Set<IntegrationRequest.ResponseContent>) {
        let parts: [(IntegrationRequest.ResponseContent, AnswerContent)] = [
            (.customerProfile, .customerProfile), (.triggeredCampaigns, .triggeredCampaigns), (.coupons, .coupons),
            (.referral, .referral), (.previousReturns, .previousReturns), (.campaignEligibility, .campaignEligibility),
        ]
        self = AnswerContent(parts.filter { content.contains($0.0) }.map(\.1))
    }

    /// The parts of a profile update's or custom event's `responseContent` that the commit reads.
    init(profileContent content: Set<String>) {
        self = []
        if content.contains("customerProfile") { insert(.customerProfile) }
        if content.contains("triggeredCampaigns") { insert(.triggeredCampaigns) }
    }
}

extension AnswerState {
    /// `triggeredCampaigns`: the campaigns that produced effects, in that order, as the commit left them.
    func triggeredCampaignBodies(_ ids: [Int64]) -> [CampaignBody] {
        ids.compactMap { campaigns[$0] }.map { CampaignBody($0) }
    }

    /// `customerProfile`, with its `audienceMemberships` as the commit left them.
    func profileBody(_ profile: CustomerProfile) -> CustomerProfileBody {
        CustomerProfileBody(profile, audiences: audiences)
    }
}
