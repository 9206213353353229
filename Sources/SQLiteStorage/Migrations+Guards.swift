import Foundation
import GRDB
import Storage

extension Migrations {
    /// Guards the database can enforce in one statement: money counters become integer ``StoredMoney`` units
    /// (converted from their exact decimal text), and per-profile redemption counts move from scans of the
    /// sessions' JSON ledgers into counter rows and the redemptions by session (`coupon_redemption`), both filled
    /// here from those ledgers.
    static func registerGuards(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10-guarded-counters") { db in
            try convertMoney(db, table: "campaign", key: "id", from: "discount_count")
            try convertMoney(db, table: "coupon", key: "id", from: "discount_counter")
            try convertMoney(db, table: "campaign_period_counter", key: "rowid", from: "discount")
            try db.execute(sql: """
                CREATE TABLE profile_campaign_redemption (
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    profile_integration_id TEXT NOT NULL,
                    campaign_id INTEGER NOT NULL,
                    period_key TEXT NOT NULL, -- '' for all time, else a BudgetPeriod key of the closes counted
                    redemptions INTEGER NOT NULL,
                    PRIMARY KEY (application_id, profile_integration_id, campaign_id, period_key)
                );
                CREATE TABLE profile_coupon_redemption (
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    profile_integration_id TEXT NOT NULL,
                    coupon_id INTEGER NOT NULL,
                    redemptions INTEGER NOT NULL,
                    PRIMARY KEY (application_id, profile_integration_id, coupon_id)
                );
                CREATE TABLE coupon_redemption (
                    session_id INTEGER NOT NULL REFERENCES customer_session(id) ON DELETE CASCADE,
                    application_id INTEGER NOT NULL,
                    profile_integration_id TEXT,
                    campaign_id INTEGER NOT NULL,
                    coupon_id INTEGER NOT NULL,
                    period_keys TEXT NOT NULL -- the close's BudgetPeriod keys, space-separated
                );
                CREATE INDEX coupon_redemption_session ON coupon_redemption(session_id);
                INSERT INTO coupon_redemption
                SELECT s.id, s.application_id, s.profile_integration_id, json_extract(c.value, '$.campaignId'),
                       json_extract(c.value, '$.couponId'),
                       COALESCE((SELECT group_concat(p.value, ' ') FROM json_each(s.close_ledger, '$.periodKeys') AS p), '')
                FROM customer_session s, json_each(s.close_ledger, '$.acceptedCoupons') AS c
                WHERE s.close_ledger IS NOT NULL;
                INSERT INTO profile_campaign_redemption
                SELECT s.application_id, s.profile_integration_id, json_extract(c.value, '$.campaignId'), '', COUNT(*)
                FROM customer_session s, json_each(s.close_ledger, '$.acceptedCoupons') AS c
                WHERE s.close_ledger IS NOT NULL AND s.profile_integration_id IS NOT NULL
                GROUP BY 1, 2, 3;
                INSERT INTO profile_campaign_redemption
                SELECT s.application_id, s.profile_integration_id, json_extract(c.value, '$.campaignId'), p.value,
                       COUNT(*)
                FROM customer_session s, json_each(s.close_ledger, '$.acceptedCoupons') AS c,
                     json_each(s.close_ledger, '$.periodKeys') AS p
                WHERE s.close_ledger IS NOT NULL AND s.profile_integration_id IS NOT NULL
                GROUP BY 1, 2, 3, 4;
                INSERT INTO profile_coupon_redemption
                SELECT s.application_id, s.profile_integration_id, json_extract(c.value, '$.couponId'), COUNT(*)
                FROM customer_session s, json_each(s.close_ledger, '$.acceptedCoupons') AS c
                WHERE s.close_ledger IS NOT NULL AND s.profile_integration_id IS NOT NULL
                GROUP BY 1, 2, 3;
                """)
        }
    }

    /// Replaces the decimal-text column `column` of `table` with `discount_units`, keeping every value.
    private static func convertMoney(_ db: Database, table: String, key: String, from column: String) throws {
        try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN discount_units INTEGER NOT NULL DEFAULT 0")
        let rows = try Row.fetchAll(db, sql: "SELECT \(key) AS key, \(column) AS text FROM \(table)")
        let update = try db.makeStatement(sql: "UPDATE \(table) SET discount_units = ? WHERE \(key) = ?")
        for row in rows {
            let value = Decimal(string: row["text"] as String? ?? "0") ?? 0
            try update.execute(arguments: [StoredMoney.units(value), row["key"] as Int64])
        }
        try db.execute(sql: "ALTER TABLE \(table) DROP COLUMN \(column)")
    }
}
