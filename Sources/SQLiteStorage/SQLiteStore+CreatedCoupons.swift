import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore {
    /// Moves the campaigns' counters and counts the coupons rules created (session, profile and event commits
    /// alike) against their `createCoupon` budgets, campaign by campaign in id order (one pass, so two commits
    /// never lock the same campaigns in different orders), then stores those coupons. A budget passed fails with
    /// `campaignLimitReached`; a code that is taken fails with `sessionChanged`, so the caller evaluates again and
    /// draws new codes.
    static func applyCampaignChanges(
        _ db: Database, applicationId: Int64, counters: [CampaignCounterDelta],
        createdCoupons coupons: [(coupon: Coupon, normalizedValue: String)], creationMaximums maximums: [Int64: Int],
        now: Date
    ) throws -> [Coupon] {
        let deltas = Dictionary(grouping: counters, by: \.campaignId)
        var perCampaign: [Int64: Int] = [:]
        for (coupon, _) in coupons { perCampaign[coupon.campaignId, default: 0] += 1 }
        for campaignId in Set(deltas.keys).union(perCampaign.keys).sorted() {
            for delta in deltas[campaignId] ?? [] { try applyCounters(db, delta, now: now) }
            guard let count = perCampaign[campaignId] else { continue }
            let maximum = maximums[campaignId]
            try db.cachedStatement(sql: """
                UPDATE campaign SET coupon_creation_count = coupon_creation_count + ?1
                WHERE id = ?2 AND (?3 IS NULL OR coupon_creation_count + ?1 <= ?3)
                """).execute(arguments: [count, campaignId, maximum])
            guard db.changesCount == 1 else { throw StoreError.campaignLimitReached(campaignId: campaignId) }
        }
        var created: [Coupon] = []
        for (coupon, normalizedValue) in coupons {
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO coupon (application_id, campaign_id, value, normalized_value, usage_limit,
                    recipient_integration_id, details, created)
                VALUES (?, ?, ?, ?, ?, ?, '{}', ?)
                """).execute(arguments: [applicationId, coupon.campaignId, coupon.value, normalizedValue,
                                         coupon.usageLimit, coupon.recipientIntegrationId, coupon.created.stored])
            guard db.changesCount == 1 else { throw StoreError.sessionChanged }  // code taken: draw again
            var stored = coupon
            stored.id = db.lastInsertedRowID
            created.append(stored)
        }
        return created
    }
}
