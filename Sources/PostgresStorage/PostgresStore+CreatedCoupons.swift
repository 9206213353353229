import Foundation
import PromotionEngine
import Storage

extension PostgresStore {
    /// Moves the campaigns' counters and counts the coupons rules created against their `createCoupon` budgets,
    /// campaign by campaign in id order (so two commits never lock the same campaigns in different orders), then
    /// stores those coupons. A budget passed fails with `campaignLimitReached`; a code that is taken fails with
    /// `sessionChanged`, so the caller evaluates again and draws new codes.
    static func applyCampaignChanges(
        _ db: Database, applicationId: Int64, counters: [CampaignCounterDelta],
        createdCoupons coupons: [(coupon: Coupon, normalizedValue: String)], creationMaximums maximums: [Int64: Int],
        now: Date
    ) async throws -> [Coupon] {
        let deltas = Dictionary(grouping: counters, by: \.campaignId)
        var perCampaign: [Int64: Int] = [:]
        for (coupon, _) in coupons { perCampaign[coupon.campaignId, default: 0] += 1 }
        for campaignId in Set(deltas.keys).union(perCampaign.keys).sorted() {
            for delta in deltas[campaignId] ?? [] { try await applyCounters(db, delta, now: now) }
            guard let count = perCampaign[campaignId] else { continue }
            let counted = try await db.changes("""
                UPDATE campaign SET coupon_creation_count = coupon_creation_count + ?1
                WHERE id = ?2 AND (?3::bigint IS NULL OR coupon_creation_count + ?1 <= ?3) RETURNING 1
                """, [count, campaignId, maximums[campaignId]])
            guard counted == 1 else { throw StoreError.campaignLimitReached(campaignId: campaignId) }
        }
        var created: [Coupon] = []
        for (coupon, normalizedValue) in coupons {
            guard let id = try await db.value(Int64.self, """
                INSERT INTO coupon (application_id, campaign_id, value, normalized_value, usage_limit,
                    recipient_integration_id, details, created)
                VALUES (?, ?, ?, ?, ?, ?, '{}', ?)
                ON CONFLICT (application_id, normalized_value) DO NOTHING RETURNING id
                """, [applicationId, coupon.campaignId, coupon.value, normalizedValue, coupon.usageLimit,
                      coupon.recipientIntegrationId, coupon.created])
            else { throw StoreError.sessionChanged }  // code taken: draw again
            var stored = coupon
            stored.id = id
            created.append(stored)
        }
        return created
    }
}
