import GRDB

extension Migrations {
    static func registerReferrals(in migrator: inout DatabaseMigrator) {
        // Referral codes (looked up by the unique normalized code on the session path) and the friends they
        // brought: one row per friend and campaign, so a friend is referred once per campaign.
        migrator.registerMigration("v12-referrals-referrals") { db in
            try db.execute(sql: """
                CREATE TABLE referral (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
                    code TEXT NOT NULL,
                    normalized_code TEXT NOT NULL,
                    advocate_profile_integration_id TEXT NOT NULL,
                    friend_profile_integration_id TEXT,
                    usage_limit INTEGER NOT NULL DEFAULT 0,
                    usage_counter INTEGER NOT NULL DEFAULT 0,
                    start_date DATETIME,
                    expiry_date DATETIME,
                    batch_id TEXT,
                    import_id INTEGER,
                    attributes TEXT NOT NULL, -- JSON object
                    created DATETIME NOT NULL,
                    UNIQUE (application_id, normalized_code)
                );
                CREATE INDEX referral_campaign ON referral(campaign_id, id);
                CREATE INDEX referral_advocate ON referral(application_id, advocate_profile_integration_id);
                CREATE TABLE referred_friend (
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    campaign_id INTEGER NOT NULL,
                    friend_profile_integration_id TEXT NOT NULL,
                    referral_id INTEGER NOT NULL,
                    code TEXT NOT NULL,
                    session_id TEXT NOT NULL,
                    advocate_profile_integration_id TEXT NOT NULL,
                    created DATETIME NOT NULL,
                    PRIMARY KEY (campaign_id, friend_profile_integration_id)
                );
                CREATE INDEX referred_friend_advocate ON referred_friend(application_id, advocate_profile_integration_id);
                """)
        }
    }
}
