import Foundation
import GRDB
import PromotionEngine
import Storage

/// The guards on counters that hold money and limits. Each is one conditional statement checked by its changed
/// rows (`… WHERE used + ? <= ?`), so it holds under any isolation level and any number of writers; a commit
/// applies them in a fixed order (coupons by id, campaigns by id with their periods, then the profile's counts).
extension SQLiteStore {
    /// Takes one use of the coupon, only while it is under its limit; false when the limit is reached.
    static func redeemCoupon(_ db: Database, id: Int64) throws -> Bool {
        try db.cachedStatement(
            sql: "UPDATE coupon SET usage_counter = usage_counter + 1 WHERE id = ? AND (usage_limit = 0 OR usage_counter < usage_limit)"
        ).execute(arguments: [id])
        return db.changesCount == 1
    }

    /// Gives one use back (a cancelled or reopened session).
    static func returnCoupon(_ db: Database, id: Int64) throws {
        try db.cachedStatement(sql: "UPDATE coupon SET usage_counter = max(usage_counter - 1, 0) WHERE id = ?")
            .execute(arguments: [id])
    }

    /// Adds `delta` to the coupon's discount counter; false when a positive delta would pass `limit`
    /// (nil or 0: none). A coupon deleted meanwhile counts nothing.
    static func addCouponDiscount(_ db: Database, id: Int64, delta: Decimal, limit: Decimal?) throws -> Bool {
        let units = StoredMoney.units(delta)
        let limitUnits = limit.flatMap { $0 > 0 ? StoredMoney.limitUnits($0) : nil }
        try db.cachedStatement(sql: """
            UPDATE coupon SET discount_units = max(discount_units + ?1, 0)
            WHERE id = ?2 AND (?1 <= 0 OR ?3 IS NULL OR discount_units + ?1 <= ?3)
            """).execute(arguments: [units, id, limitUnits])
        return try db.changesCount == 1 || !exists(db, "coupon", id: id)
    }

    /// Moves a campaign's counters and its period counters; throws `campaignLimitReached` when a positive change
    /// would pass a budget. A campaign deleted meanwhile counts nothing.
    static func applyCounters(_ db: Database, _ delta: CampaignCounterDelta, now: Date) throws {
        let discount = StoredMoney.units(delta.discount)
        try db.cachedStatement(sql: """
            UPDATE campaign SET coupon_redemption_count = coupon_redemption_count + ?1, discount_units = discount_units + ?2,
                discount_effect_count = discount_effect_count + ?3, add_free_item_effect_count = add_free_item_effect_count + ?4,
                custom_effect_count = custom_effect_count + ?5, last_activity = ?6
            WHERE id = ?7 AND (?1 <= 0 OR ?8 IS NULL OR coupon_redemption_count + ?1 <= ?8)
                AND (?2 <= 0 OR ?9 IS NULL OR discount_units + ?2 <= ?9)
            """).execute(arguments: [
                delta.couponRedemptions, discount, delta.discountEffects, delta.addFreeItemEffects, delta.customEffects,
                now.stored, delta.campaignId, delta.maximumCouponRedemptions, delta.maximumDiscount.map(StoredMoney.limitUnits),
            ])
        if db.changesCount == 0 {
            guard try exists(db, "campaign", id: delta.campaignId) else { return }
            throw StoreError.campaignLimitReached(campaignId: delta.campaignId)
        }
        for key in delta.periodKeys ?? [] {
            let maximum = delta.periodMaximums?[key]
            let counted = try upsertGuarded(
                db, sql: """
                    INSERT INTO campaign_period_counter (campaign_id, period_key, coupon_redemptions, discount_units)
                    VALUES (?1, ?2, max(?3, 0), max(?4, 0))
                    ON CONFLICT (campaign_id, period_key) DO UPDATE
                    SET coupon_redemptions = max(coupon_redemptions + ?3, 0), discount_units = max(discount_units + ?4, 0)
                    WHERE (?3 <= 0 OR ?5 IS NULL OR coupon_redemptions + ?3 <= ?5)
                        AND (?4 <= 0 OR ?6 IS NULL OR discount_units + ?4 <= ?6)
                    """,
                arguments: [delta.campaignId, key, delta.couponRedemptions, discount, maximum?.couponRedemptions,
                            maximum?.discount.map(StoredMoney.limitUnits)],
                passesAlone: passes(delta.couponRedemptions, maximum?.couponRedemptions)
                    && passes(discount, maximum?.discount.map(StoredMoney.limitUnits))
            )
            guard counted else { throw StoreError.campaignLimitReached(campaignId: delta.campaignId) }
        }
        try applyActionCounts(db, delta)
    }

    /// Moves the profile's redemption counts (per campaign, overall and per period; per coupon), refusing a
    /// close that passes a per-profile limit: the campaign's (`campaignLimitReached`) or the coupon's own
    /// (`couponLimitReached`).
    static func applyProfileRedemptions(_ db: Database, _ change: RedemptionChange, profileId: String,
                                        applicationId: Int64, campaignCounters: [CampaignCounterDelta],
                                        couponMaximums: [Int64: Int]) throws
    {
        let budgets = Dictionary(campaignCounters.map { ($0.campaignId, $0) }, uniquingKeysWith: { first, _ in first })
        for (campaignId, count) in change.byCampaign {
            let budget = budgets[campaignId]
            let limits = [("", budget?.maximumProfileRedemptions)]
                + change.periodKeys.map { ($0, budget?.profilePeriodMaximums?[$0]) }
            for (key, maximum) in limits {
                let counted = try upsertGuarded(
                    db, sql: """
                        INSERT INTO profile_campaign_redemption
                            (application_id, profile_integration_id, campaign_id, period_key, redemptions)
                        VALUES (?1, ?2, ?3, ?4, max(?5, 0))
                        ON CONFLICT (application_id, profile_integration_id, campaign_id, period_key) DO UPDATE
                        SET redemptions = max(redemptions + ?5, 0) WHERE ?5 <= 0 OR ?6 IS NULL OR redemptions + ?5 <= ?6
                        """,
                    arguments: [applicationId, profileId, campaignId, key, count, maximum],
                    passesAlone: passes(count, maximum)
                )
                guard counted else { throw StoreError.campaignLimitReached(campaignId: campaignId) }
            }
        }
        for (couponId, count) in change.byCoupon {
            let maximum = couponMaximums[couponId]
            let counted = try upsertGuarded(
                db, sql: """
                    INSERT INTO profile_coupon_redemption (application_id, profile_integration_id, coupon_id, redemptions)
                    VALUES (?1, ?2, ?3, max(?4, 0))
                    ON CONFLICT (application_id, profile_integration_id, coupon_id) DO UPDATE
                    SET redemptions = max(redemptions + ?4, 0) WHERE ?4 <= 0 OR ?5 IS NULL OR redemptions + ?4 <= ?5
                    """,
                arguments: [applicationId, profileId, couponId, count, maximum],
                passesAlone: passes(count, maximum)
            )
            guard counted else { throw StoreError.couponLimitReached(couponId: couponId) }
        }
    }

    /// Records a close's redemptions by session (a cancel or reopen removes them): the normalised facts the
    /// counters count, kept for audits and for rebuilding counters without reading ledgers.
    static func recordRedemptions(_ db: Database, _ change: RedemptionChange, session: CustomerSession) throws {
        guard change.direction > 0 else {
            try db.cachedStatement(sql: "DELETE FROM coupon_redemption WHERE session_id = ?").execute(arguments: [session.id])
            return
        }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO coupon_redemption (session_id, application_id, profile_integration_id, campaign_id, coupon_id,
                period_keys) VALUES (?, ?, ?, ?, ?, ?)
            """)
        let periodKeys = change.periodKeys.joined(separator: " ")
        for coupon in change.coupons {
            try insert.execute(arguments: [session.id, session.applicationId, change.profileId, coupon.campaignId,
                                           coupon.couponId, periodKeys])
        }
    }

    /// The profile's redemptions of a campaign: overall under `""`, and in each period key that has any.
    static func profileCampaignRedemptions(_ db: Database, applicationId: Int64, profileId: String, campaignId: Int64)
        throws -> [String: Int]
    {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT period_key, redemptions FROM profile_campaign_redemption
            WHERE application_id = ? AND profile_integration_id = ? AND campaign_id = ?
            """), arguments: [applicationId, profileId, campaignId])
        return Dictionary(rows.map { ($0["period_key"], $0["redemptions"]) }, uniquingKeysWith: { first, _ in first })
    }

    /// How often the profile redeemed the coupon (closes not cancelled).
    static func profileCouponRedemptions(_ db: Database, applicationId: Int64, profileId: String, couponId: Int64)
        throws -> Int
    {
        try Int.fetchOne(db.cachedStatement(sql: """
            SELECT redemptions FROM profile_coupon_redemption
            WHERE application_id = ? AND profile_integration_id = ? AND coupon_id = ?
            """), arguments: [applicationId, profileId, couponId]) ?? 0
    }

    /// The counters of a campaign's periods `keys` (absent: nothing used yet).
    static func periodCounters(_ db: Database, campaignId: Int64, keys: [String]) throws -> [String: PeriodCounters] {
        var periods: [String: PeriodCounters] = [:]
        for key in keys {
            if let row = try Row.fetchOne(db.cachedStatement(
                sql: "SELECT coupon_redemptions, discount_units FROM campaign_period_counter WHERE campaign_id = ? AND period_key = ?"
            ), arguments: [campaignId, key]) {
                periods[key] = PeriodCounters(couponRedemptions: row["coupon_redemptions"],
                                              discount: StoredMoney.decimal(row["discount_units"]))
            }
        }
        return periods
    }

    /// Runs an upsert whose `DO UPDATE … WHERE` is the guard: false when the guard refused the row. A new row
    /// starts from zero, so it is counted only when the change `passesAlone`.
    private static func upsertGuarded(_ db: Database, sql: String, arguments: StatementArguments, passesAlone: Bool)
        throws -> Bool
    {
        guard passesAlone else { return false }
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
        return db.changesCount == 1
    }

    private static func passes<Value: BinaryInteger>(_ change: Value, _ maximum: Value?) -> Bool {
        guard let maximum, change > 0 else { return true }
        return change <= maximum
    }

    private static func exists(_ db: Database, _ table: String, id: Int64) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE id = ?)"),
                          arguments: [id]) ?? false
    }
}
