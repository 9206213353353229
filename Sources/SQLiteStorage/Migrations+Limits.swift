import GRDB

extension Migrations {
    /// Loyalty and referral budgets: the campaign's counters the spec lists (referrals redeemed and created,
    /// loyalty points added and deducted by rules, and their effects), and one row per budget counter
    /// (campaign-wide or per profile, overall or per period) that a close moves with one guarded upsert.
    static func registerLimits(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v24-limits") { db in
            try db.execute(sql: """
                ALTER TABLE campaign ADD COLUMN referral_redemption_count INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE campaign ADD COLUMN referral_creation_count INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE campaign ADD COLUMN created_loyalty_points_units INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE campaign ADD COLUMN created_loyalty_points_effect_count INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE campaign ADD COLUMN redeemed_loyalty_points_units INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE campaign ADD COLUMN redeemed_loyalty_points_effect_count INTEGER NOT NULL DEFAULT 0;
                UPDATE campaign SET referral_redemption_count =
                    (SELECT COALESCE(SUM(usage_counter), 0) FROM referral WHERE referral.campaign_id = campaign.id);
                CREATE TABLE campaign_action_counter (
                    campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
                    action TEXT NOT NULL, -- LimitAction
                    profile_integration_id TEXT NOT NULL, -- '' for the campaign's own counter
                    period_key TEXT NOT NULL, -- '' for the campaign's life, else a BudgetPeriod key
                    used_units INTEGER NOT NULL, -- StoredMoney units: points, or a count
                    PRIMARY KEY (campaign_id, action, profile_integration_id, period_key)
                );
                """)
        }
    }
}
