import GRDB

extension Migrations {
    static func registerCampaigns(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-campaigns-rulesets-coupons") { db in
            try db.execute(sql: """
                ALTER TABLE application ADD COLUMN campaign_revision INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE campaign (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    user_id INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    state TEXT NOT NULL,
                    settings TEXT NOT NULL, -- CampaignSettings as JSON
                    active_ruleset_id INTEGER,
                    created DATETIME NOT NULL,
                    updated DATETIME NOT NULL,
                    coupon_redemption_count INTEGER NOT NULL DEFAULT 0,
                    discount_count TEXT NOT NULL DEFAULT '0', -- Decimal as text
                    discount_effect_count INTEGER NOT NULL DEFAULT 0,
                    add_free_item_effect_count INTEGER NOT NULL DEFAULT 0,
                    custom_effect_count INTEGER NOT NULL DEFAULT 0,
                    coupon_creation_count INTEGER NOT NULL DEFAULT 0,
                    last_activity DATETIME
                );
                CREATE INDEX campaign_application ON campaign(application_id, state);
                CREATE TABLE ruleset (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
                    user_id INTEGER NOT NULL,
                    body TEXT NOT NULL, -- rules, bindings, strikethroughRules as JSON
                    created DATETIME NOT NULL
                );
                CREATE INDEX ruleset_campaign ON ruleset(campaign_id);
                CREATE TABLE coupon (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
                    value TEXT NOT NULL,
                    normalized_value TEXT NOT NULL, -- the value as the application's caseSensitivity matches it
                    usage_limit INTEGER NOT NULL DEFAULT 0,
                    usage_counter INTEGER NOT NULL DEFAULT 0,
                    discount_limit TEXT,
                    discount_counter TEXT NOT NULL DEFAULT '0',
                    start_date DATETIME,
                    expiry_date DATETIME,
                    recipient_integration_id TEXT,
                    batch_id TEXT,
                    details TEXT NOT NULL, -- attributes, limits, reservationLimit as JSON
                    created DATETIME NOT NULL,
                    UNIQUE (application_id, normalized_value)
                );
                CREATE INDEX coupon_campaign ON coupon(campaign_id, id);
                """)
        }
    }
}
