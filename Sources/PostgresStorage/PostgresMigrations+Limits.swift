/// SQLite's `v24-limits` in PostgreSQL: the campaign's referral and loyalty counters, and the loyalty and referral
/// budget counters (counters, not configuration: no revision trigger).
extension PostgresMigrations {
    static let limitsV14: [String] = [
        """
        ALTER TABLE campaign ADD COLUMN referral_redemption_count BIGINT NOT NULL DEFAULT 0,
            ADD COLUMN referral_creation_count BIGINT NOT NULL DEFAULT 0,
            ADD COLUMN created_loyalty_points_units BIGINT NOT NULL DEFAULT 0,
            ADD COLUMN created_loyalty_points_effect_count BIGINT NOT NULL DEFAULT 0,
            ADD COLUMN redeemed_loyalty_points_units BIGINT NOT NULL DEFAULT 0,
            ADD COLUMN redeemed_loyalty_points_effect_count BIGINT NOT NULL DEFAULT 0
        """,
        """
        UPDATE campaign SET referral_redemption_count =
            (SELECT COALESCE(SUM(usage_counter), 0) FROM referral WHERE referral.campaign_id = campaign.id)
        """,
        """
        CREATE TABLE campaign_action_counter (
            campaign_id BIGINT NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
            action TEXT COLLATE "C" NOT NULL,
            profile_integration_id TEXT COLLATE "C" NOT NULL,
            period_key TEXT COLLATE "C" NOT NULL,
            used_units BIGINT NOT NULL,
            PRIMARY KEY (campaign_id, action, profile_integration_id, period_key)
        )
        """,
    ]
}
