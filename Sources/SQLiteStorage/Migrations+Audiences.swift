import GRDB

extension Migrations {
    static func registerAudiences(in migrator: inout DatabaseMigrator) {
        // Audiences belong to the account; a membership names the profile by integration id, as profiles of
        // the same customer in several applications are one customer to an audience.
        migrator.registerMigration("v12-referrals-audiences") { db in
            try db.execute(sql: """
                CREATE TABLE audience (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id INTEGER NOT NULL REFERENCES account(id),
                    name TEXT NOT NULL,
                    description TEXT,
                    sandbox INTEGER NOT NULL DEFAULT 0,
                    integration TEXT,
                    integration_id TEXT,
                    created_in_3rd_party INTEGER,
                    last_update DATETIME,
                    created DATETIME NOT NULL
                );
                CREATE INDEX audience_account ON audience(account_id, id);
                CREATE UNIQUE INDEX audience_integration ON audience(account_id, integration, integration_id)
                    WHERE integration_id IS NOT NULL;
                CREATE TABLE audience_membership (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    audience_id INTEGER NOT NULL REFERENCES audience(id) ON DELETE CASCADE,
                    profile_integration_id TEXT NOT NULL,
                    created DATETIME NOT NULL,
                    UNIQUE (audience_id, profile_integration_id)
                );
                CREATE INDEX audience_membership_profile ON audience_membership(profile_integration_id);
                """)
        }
    }
}
