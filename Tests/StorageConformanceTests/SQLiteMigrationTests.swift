import Foundation
import GRDB
import PromotionEngine
@testable import SQLiteStorage
import Storage
import Testing

/// `v10-guarded-counters` on a database written before it: money text becomes units without losing a digit, and
/// the per-profile counts are what the old ledger scans counted.
@Suite struct SQLiteMigrationTests {
    @Test func v10ConvertsMoneyAndCountsProfilesFromLedgers() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sconto-v9-\(UUID()).sqlite").path
        let ids = try Self.writeBeforeV10(path: path)
        let shop = Shop(store: try SQLiteStore(path: path), applicationId: ids.application)
        let counters = try await shop.store.campaign(id: ids.campaign, applicationId: ids.application).counters
        #expect(counters.discountCount == Decimal(string: "0.3"))
        let snapshot = try await shop.snapshot("-", profileId: "alice", codes: ["OLD"], countersOf: [ids.campaign],
                                               periodKeys: ["daily:2026-11-26", "daily:2026-11-27"])
        #expect(snapshot.coupons.first?.discountCounter == Decimal(string: "12.345"))
        #expect(snapshot.campaignCounters[ids.campaign]?.periods?["daily:2026-11-27"]?.discount == Decimal(string: "0.1"))
        #expect(snapshot.profileRedemptions[ids.campaign] == 2)
        #expect(snapshot.profilePeriodRedemptions[ids.campaign] == ["daily:2026-11-26": 1, "daily:2026-11-27": 1])
        #expect(try await shop.store.profileRedemptions(applicationId: ids.application, profileId: "alice",
                                                        couponIds: [ids.coupon]) == [ids.coupon: 2])
        #expect(try await shop.store.profileRedemptions(applicationId: ids.application, profileId: "bob",
                                                        couponIds: [ids.coupon]) == [ids.coupon: 0])
        #expect(try Self.redemptions(path: path) == ["alice 3 5 daily:2026-11-26", "alice 3 5 daily:2026-11-27"])

        // New closes record their redemptions by session; a cancel removes them.
        let close = shop.close("s4", coupons: [try #require(try await shop.snapshot("-", codes: ["OLD"]).coupons.first)],
                               periodKeys: ["daily:2026-11-28", "weekly:2026-W48"])
        _ = try await shop.store.commitSession(close)
        #expect(try Self.redemptions(path: path).last == "- 3 5 daily:2026-11-28 weekly:2026-W48")
        _ = try await shop.store.commitSession(shop.cancel(close))
        #expect(try Self.redemptions(path: path).count == 2)
    }

    /// `coupon_redemption` as "profile campaign coupon period keys" lines, in session order.
    private static func redemptions(path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: """
                SELECT COALESCE(profile_integration_id, '-') || ' ' || campaign_id || ' ' || coupon_id || ' ' || period_keys
                FROM coupon_redemption ORDER BY session_id
                """)
        }
    }

    /// A database at the migrations before v10: money as text, two closes of alice's (in two days) and an open
    /// session of bob's.
    private static func writeBeforeV10(path: String) throws -> (application: Int64, campaign: Int64, coupon: Int64) {
        let queue = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        Migrations.register(in: &migrator)
        try migrator.migrate(queue, upTo: "v8-campaign-templates")
        return try queue.write { db in
            let now = Date()
            try db.execute(sql: "INSERT INTO account (id, name, created) VALUES (1, 'a', ?)", arguments: [now])
            try db.execute(sql: """
                INSERT INTO application (id, account_id, name, created, modified, settings) VALUES (7, 1, 'shop', ?, ?, '{}')
                """, arguments: [now, now])
            let settings = String(decoding: try JSONEncoder().encode(CampaignSettings(name: "old")), as: UTF8.self)
            try db.execute(sql: """
                INSERT INTO campaign (id, application_id, user_id, name, state, settings, created, updated, discount_count)
                VALUES (3, 7, 1, 'old', 'enabled', ?, ?, ?, '0.3')
                """, arguments: [settings, now, now])
            try db.execute(sql: """
                INSERT INTO coupon (id, application_id, campaign_id, value, normalized_value, discount_counter, details, created)
                VALUES (5, 7, 3, 'OLD', 'OLD', '12.345', '{}', ?)
                """, arguments: [now])
            try db.execute(sql: """
                INSERT INTO campaign_period_counter (campaign_id, period_key, coupon_redemptions, discount)
                VALUES (3, 'daily:2026-11-27', 1, '0.1')
                """)
            let accepted = [EvaluationOutcome.AcceptedCoupon(couponId: 5, campaignId: 3, code: "OLD")]
            for (session, keys) in [("s1", ["daily:2026-11-26"]), ("s2", ["daily:2026-11-27"])] {
                let ledger = CloseLedger(acceptedCoupons: accepted, discountsByCampaign: [:], campaignCounters: [],
                                         total: 1, profileId: "alice", periodKeys: keys)
                try db.execute(sql: """
                    INSERT INTO customer_session (application_id, integration_id, profile_integration_id, state,
                        update_count, body, effects, close_ledger, created, updated)
                    VALUES (7, ?, 'alice', 'closed', 1, '{}', '[]', ?, ?, ?)
                    """, arguments: [session, String(decoding: try JSONEncoder().encode(ledger), as: UTF8.self), now, now])
            }
            try db.execute(sql: """
                INSERT INTO customer_session (application_id, integration_id, profile_integration_id, state,
                    update_count, body, effects, created, updated)
                VALUES (7, 's3', 'bob', 'open', 1, '{}', '[]', ?, ?)
                """, arguments: [now, now])
            return (7, 3, 5)
        }
    }
}
