import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore {
    /// Stores the coupons rules created (session, profile and event commits alike) and counts them against
    /// their campaigns' `createCoupon` budgets: one conditional update per campaign, in campaign order, that
    /// changes no row when the budget would be passed (`campaignLimitReached`); a code that is taken fails
    /// with `sessionChanged`, so the caller evaluates again and draws new codes.
    static func storeCreatedCoupons(
        _ db: Database, applicationId: Int64, _ coupons: [(coupon: Coupon, normalizedValue: String)],
        maximums: [Int64: Int]
    ) throws -> [Coupon] {
        var perCampaign: [Int64: Int] = [:]
        for (coupon, _) in coupons { perCampaign[coupon.campaignId, default: 0] += 1 }
        for (campaignId, count) in perCampaign.sorted(by: { $0.key < $1.key }) {
            let maximum = maximums[campaignId]
            try db.execute(
                sql: """
                    UPDATE campaign SET coupon_creation_count = coupon_creation_count + ?
                    WHERE id = ? AND (? IS NULL OR coupon_creation_count + ? <= ?)
                    """,
                arguments: [count, campaignId, maximum, count, maximum]
            )
            guard db.changesCount == 1 else { throw StoreError.campaignLimitReached(campaignId: campaignId) }
        }
        var created: [Coupon] = []
        for (coupon, normalizedValue) in coupons {
            try db.execute(sql: """
                INSERT OR IGNORE INTO coupon (application_id, campaign_id, value, normalized_value, usage_limit,
                    recipient_integration_id, details, created)
                VALUES (?, ?, ?, ?, ?, ?, '{}', ?)
                """, arguments: [applicationId, coupon.campaignId, coupon.value, normalizedValue,
                                 coupon.usageLimit, coupon.recipientIntegrationId, coupon.created])
            guard db.changesCount == 1 else { throw StoreError.sessionChanged }  // code taken: draw again
            var stored = coupon
            stored.id = db.lastInsertedRowID
            created.append(stored)
        }
        return created
    }
}
