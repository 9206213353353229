import Foundation
import PromotionEngine
import Storage

/// Replays closed sessions as dry evaluations against a lineup and adds up what one campaign would have given:
/// the Campaign Manager's Simulate, comparing a draft ruleset with the active one on the same sessions.
public enum CampaignSimulation {
    public struct Outcome: Sendable, Hashable {
        public var sessions = 0
        /// Sessions in which the campaign gave a discount.
        public var affected = 0
        public var discounts: Decimal = 0
    }

    /// What `campaignId` gave in the stored sessions (their last effects): the history to compare with.
    public static func given(_ sessions: [StoredSession], campaignId: Int64) -> Outcome {
        sessions.reduce(into: Outcome()) { outcome, stored in
            add(stored.effects, campaignId: campaignId, to: &outcome)
        }
    }

    /// Each session's cart, coupons, profile and attributes evaluated dry (nothing stored) with `catalog`, now.
    public static func replay(
        _ sessions: [StoredSession], application: Application, campaignId: Int64, store: any Store,
        catalog: any CampaignCatalog
    ) async throws -> Outcome {
        let service = CustomerSessionService(store: store, campaigns: catalog)
        var outcome = Outcome()
        for stored in sessions {
            var update = SessionUpdate()
            update.cartItems = stored.session.cartItems
            update.couponCodes = stored.session.couponCodes
            update.profileId = stored.session.profileId
            update.attributes = stored.session.attributes
            // A fresh id: the replay starts from an empty session, as the original did.
            let result = try await service.update(
                application: application, sessionId: "campaign-manager-simulate-\(UUID().uuidString)", update: update,
                dry: true
            )
            add(result.effects, campaignId: campaignId, to: &outcome)
        }
        return outcome
    }

    private static func add(_ effects: [Effect], campaignId: Int64, to outcome: inout Outcome) {
        outcome.sessions += 1
        let discounts = effects.filter { $0.campaignId == campaignId }.compactMap(\.discountValue)
        if !discounts.isEmpty { outcome.affected += 1 }
        outcome.discounts += discounts.reduce(0, +)
    }
}
