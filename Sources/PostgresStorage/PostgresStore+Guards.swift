import Foundation
import PromotionEngine
import Storage

/// The guards on counters that hold money and limits, as `SQLiteStore+Guards` has them: each is one conditional
/// statement judged by the rows its `RETURNING` gives (`… WHERE used + $n <= limit`). At READ COMMITTED a
/// concurrent writer of the same row waits for its lock and then re-checks the condition on the row's newest
/// version, so the guard holds with any number of writers and nodes; a commit applies them in a fixed order
/// (coupons by id, the referral, audience memberships, campaigns by id with their periods, then the
/// profile's counts), so two commits never deadlock.
extension PostgresStore {
    /// Takes one use of the coupon, only while it is under its limit; false when the limit is reached.
    static func redeemCoupon(_ db: Database, id: Int64) async throws -> Bool {
        try await db.changes("""
            UPDATE coupon SET usage_counter = usage_counter + 1
            WHERE id = ? AND (usage_limit = 0 OR usage_counter < usage_limit) RETURNING 1
            """, [id]) == 1
    }

    /// Gives one use back (a cancelled or reopened session).
    static func returnCoupon(_ db: Database, id: Int64) async throws {
        try await db.execute("UPDATE coupon SET usage_counter = GREATEST(usage_counter - 1, 0) WHERE id = ?", [id])
    }

    /// Adds `delta` to the coupon's discount counter; false when a positive delta would pass `limit`
    /// (nil or 0: none). A coupon deleted meanwhile counts nothing.
    static func addCouponDiscount(_ db: Database, id: Int64, delta: Decimal, limit: Decimal?) async throws -> Bool {
        let units = StoredMoney.units(delta)
        let limitUnits = limit.flatMap { $0 > 0 ? StoredMoney.limitUnits($0) : nil }
        let changed = try await db.changes("""
            UPDATE coupon SET discount_units = GREATEST(discount_units + ?1, 0)
            WHERE id = ?2 AND (?1 <= 0 OR ?3::bigint IS NULL OR discount_units + ?1 <= ?3) RETURNING 1
            """, [units, id, limitUnits])
        if changed == 1 { return true }
        return try await !exists(db, "coupon", id: id)
    }

    /// Moves a campaign's counters and its period counters; throws `campaignLimitReached` when a positive change
    /// would pass a budget. A campaign deleted meanwhile counts nothing.
    static func applyCounters(_ db: Database, _ delta: CampaignCounterDelta, now: Date) async throws {
        let discount = StoredMoney.units(delta.discount)
        let changed = try await db.changes("""
            UPDATE campaign SET coupon_redemption_count = coupon_redemption_count + ?1,
                discount_units = discount_units + ?2, discount_effect_count = discount_effect_count + ?3,
                add_free_item_effect_count = add_free_item_effect_count + ?4,
                custom_effect_count = custom_effect_count + ?5, last_activity = ?6
            WHERE id = ?7 AND (?1 <= 0 OR ?8::bigint IS NULL OR coupon_redemption_count + ?1 <= ?8)
                AND (?2 <= 0 OR ?9::bigint IS NULL OR discount_units + ?2 <= ?9)
            RETURNING 1
            """, [
                delta.couponRedemptions, discount, delta.discountEffects, delta.addFreeItemEffects,
                delta.customEffects, now, delta.campaignId, delta.maximumCouponRedemptions,
                delta.maximumDiscount.map(StoredMoney.limitUnits),
            ])
        if changed == 0 {
            guard try await exists(db, "campaign", id: delta.campaignId) else { return }
            throw StoreError.campaignLimitReached(campaignId: delta.campaignId)
        }
        for key in delta.periodKeys ?? [] {
            let maximum = delta.periodMaximums?[key]
            let maximumDiscount = maximum?.discount.map(StoredMoney.limitUnits)
            let counted = try await upsertGuarded(
                db, """
                    INSERT INTO campaign_period_counter AS c (campaign_id, period_key, coupon_redemptions, discount_units)
                    VALUES (?1, ?2, GREATEST(?3, 0), GREATEST(?4, 0))
                    ON CONFLICT (campaign_id, period_key) DO UPDATE
                    SET coupon_redemptions = GREATEST(c.coupon_redemptions + ?3, 0),
                        discount_units = GREATEST(c.discount_units + ?4, 0)
                    WHERE (?3 <= 0 OR ?5::bigint IS NULL OR c.coupon_redemptions + ?3 <= ?5)
                        AND (?4 <= 0 OR ?6::bigint IS NULL OR c.discount_units + ?4 <= ?6)
                    RETURNING 1
                    """,
                [delta.campaignId, key, delta.couponRedemptions, discount, maximum?.couponRedemptions, maximumDiscount],
                passesAlone: passes(delta.couponRedemptions, maximum?.couponRedemptions)
                    && passes(discount, maximumDiscount)
            )
            guard counted else { throw StoreError.campaignLimitReached(campaignId: delta.campaignId) }
        }
        try await applyActionCounts(db, delta)
    }

    /// Moves the profile's redemption counts (per campaign, overall and per period; per coupon), refusing a
    /// close that passes a per-profile limit: the campaign's (`campaignLimitReached`) or the coupon's own
    /// (`couponLimitReached`).
    static func applyProfileRedemptions(_ db: Database, _ change: RedemptionChange, profileId: String,
                                        applicationId: Int64, campaignCounters: [CampaignCounterDelta],
                                        couponMaximums: [Int64: Int]) async throws
    {
        let budgets = Dictionary(campaignCounters.map { ($0.campaignId, $0) }, uniquingKeysWith: { first, _ in first })
        for (campaignId, count) in change.byCampaign {
            let budget = budgets[campaignId]
            let limits = [("", budget?.maximumProfileRedemptions)]
                + change.periodKeys.map { ($0, budget?.profilePeriodMaximums?[$0]) }
            for (key, maximum) in limits {
                let counted = try await upsertGuarded(
                    db, """
                        INSERT INTO profile_campaign_redemption AS r
                            (application_id, profile_integration_id, campaign_id, period_key, redemptions)
                        VALUES (?1, ?2, ?3, ?4, GREATEST(?5, 0))
                        ON CONFLICT (application_id, profile_integration_id, campaign_id, period_key) DO UPDATE
                        SET redemptions = GREATEST(r.redemptions + ?5, 0)
                        WHERE ?5 <= 0 OR ?6::bigint IS NULL OR r.redemptions + ?5 <= ?6
                        RETURNING 1
                        """,
                    [applicationId, profileId, campaignId, key, count, maximum],
                    passesAlone: passes(count, maximum)
                )
                guard counted else { throw StoreError.campaignLimitReached(campaignId: campaignId) }
            }
        }
        for (couponId, count) in change.byCoupon {
            let maximum = couponMaximums[couponId]
            let counted = try await upsertGuarded(
                db, """
                    INSERT INTO profile_coupon_redemption AS r
                        (application_id, profile_integration_id, coupon_id, redemptions)
                    VALUES (?1, ?2, ?3, GREATEST(?4, 0))
                    ON CONFLICT (application_id, profile_integration_id, coupon_id) DO UPDATE
                    SET redemptions = GREATEST(r.redemptions + ?4, 0)
                    WHERE ?4 <= 0 OR ?5::bigint IS NULL OR r.redemptions + ?4 <= ?5
                    RETURNING 1
                    """,
                [applicationId, profileId, couponId, count, maximum],
                passesAlone: passes(count, maximum)
            )
            guard counted else { throw StoreError.couponLimitReached(couponId: couponId) }
        }
    }

    /// Records a close's redemptions by session (a cancel or reopen removes them).
    static func recordRedemptions(_ db: Database, _ change: RedemptionChange, session: CustomerSession) async throws {
        guard change.direction > 0 else {
            try await db.execute("DELETE FROM coupon_redemption WHERE session_id = ?", [session.id])
            return
        }
        let periodKeys = change.periodKeys.joined(separator: " ")
        for coupon in change.coupons {
            try await db.execute("""
                INSERT INTO coupon_redemption (session_id, application_id, profile_integration_id, campaign_id,
                    coupon_id, period_keys) VALUES (?, ?, ?, ?, ?, ?)
                """, [session.id, session.applicationId, change.profileId, coupon.campaignId, coupon.couponId,
                      periodKeys])
        }
    }

    /// The profile's redemptions of a campaign: overall under `""`, and in each period key that has any.
    static func profileCampaignRedemptions(_ db: Database, applicationId: Int64, profileId: String, campaignId: Int64)
        async throws -> [String: Int]
    {
        let rows = try await db.rows("""
            SELECT period_key, redemptions FROM profile_campaign_redemption
            WHERE application_id = ? AND profile_integration_id = ? AND campaign_id = ?
            """, [applicationId, profileId, campaignId])
        return Dictionary(try rows.map { (try $0["period_key"], try $0["redemptions"]) },
                          uniquingKeysWith: { first, _ in first })
    }

    /// How often the profile redeemed the coupon (closes not cancelled).
    static func profileCouponRedemptions(_ db: Database, applicationId: Int64, profileId: String, couponId: Int64)
        async throws -> Int
    {
        try await db.value(Int.self, """
            SELECT redemptions FROM profile_coupon_redemption
            WHERE application_id = ? AND profile_integration_id = ? AND coupon_id = ?
            """, [applicationId, profileId, couponId]) ?? 0
    }

    /// The counters of a campaign's periods `keys` (absent: nothing used yet).
    static func periodCounters(_ db: Database, campaignId: Int64, keys: [String]) async throws
        -> [String: PeriodCounters]
    {
        var periods: [String: PeriodCounters] = [:]
        for key in keys {
            if let row = try await db.row(
                "SELECT coupon_redemptions, discount_units FROM campaign_period_counter WHERE campaign_id = ? AND period_key = ?",
                [campaignId, key]
            ) {
                periods[key] = PeriodCounters(couponRedemptions: try row["coupon_redemptions"],
                                              discount: StoredMoney.decimal(try row["discount_units"]))
            }
        }
        return periods
    }

    /// Runs an upsert whose `DO UPDATE … WHERE` is the guard: false when the guard refused the row. A new row
    /// starts from zero, so it is counted only when the change `passesAlone`.
    private static func upsertGuarded(_ db: Database, _ sql: String, _ arguments: SQLArguments, passesAlone: Bool)
        async throws -> Bool
    {
        guard passesAlone else { return false }
        return try await db.changes(sql, arguments) == 1
    }

    private static func passes<Value: BinaryInteger>(_ change: Value, _ maximum: Value?) -> Bool {
        guard let maximum, change > 0 else { return true }
        return change <= maximum
    }

    static func exists(_ db: Database, _ table: String, id: Int64) async throws -> Bool {
        try await db.value(Bool.self, "SELECT EXISTS (SELECT 1 FROM \(table) WHERE id = ?)", [id]) ?? false
    }
}
