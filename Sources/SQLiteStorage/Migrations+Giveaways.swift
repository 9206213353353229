import GRDB

extension Migrations {
    static func registerGiveaways(in migrator: inout DatabaseMigrator) {
        // Pools belong to the account; a code is awarded once (`awarded_to` set by one guarded update) and keeps
        // the application and session that took it, for the customer's inventory.
        migrator.registerMigration("v17-giveaways") { db in
            try db.execute(sql: """
                CREATE TABLE giveaway_pool (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id INTEGER NOT NULL REFERENCES account(id),
                    name TEXT NOT NULL,
                    description TEXT,
                    subscribed_application_ids TEXT NOT NULL,
                    sandbox INTEGER NOT NULL DEFAULT 0,
                    created DATETIME NOT NULL,
                    created_by INTEGER NOT NULL,
                    modified DATETIME
                );
                CREATE INDEX giveaway_pool_account ON giveaway_pool(account_id, id);
                CREATE TABLE giveaway_import (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    pool_id INTEGER NOT NULL REFERENCES giveaway_pool(id) ON DELETE CASCADE,
                    amount INTEGER NOT NULL,
                    created DATETIME NOT NULL
                );
                CREATE TABLE giveaway (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    pool_id INTEGER NOT NULL REFERENCES giveaway_pool(id) ON DELETE CASCADE,
                    code TEXT NOT NULL,
                    start_date DATETIME,
                    end_date DATETIME,
                    attributes TEXT NOT NULL,
                    import_id INTEGER NOT NULL,
                    created DATETIME NOT NULL,
                    awarded_to TEXT,
                    awarded_profile_id INTEGER,
                    awarded_application_id INTEGER,
                    awarded_session_id TEXT,
                    awarded DATETIME
                );
                CREATE INDEX giveaway_pool_codes ON giveaway(pool_id, id);
                CREATE INDEX giveaway_unawarded ON giveaway(pool_id, id) WHERE awarded_to IS NULL;
                CREATE INDEX giveaway_awarded_profile ON giveaway(awarded_application_id, awarded_to)
                    WHERE awarded_to IS NOT NULL;
                """)
        }
    }
}
