import GRDB

extension Migrations {
    static func registerAchievements(in migrator: inout DatabaseMigrator) {
        // Achievements belong to a campaign (names unique in it). A tracker is one profile's progress in one
        // period (`period_key`), moved only by guarded upserts; progress and target as `StoredMoney` units so the
        // statement adds and compares them. Entries record which session moved which tracker, for a cancel.
        migrator.registerMigration("v18-achievements") { db in
            try db.execute(sql: """
                CREATE TABLE achievement (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    title TEXT NOT NULL,
                    description TEXT NOT NULL,
                    target TEXT NOT NULL, -- exact decimal
                    period TEXT,
                    period_end_override TEXT, -- JSON
                    recurrence_policy TEXT NOT NULL,
                    activation_policy TEXT NOT NULL,
                    fixed_start_date DATETIME,
                    end_date DATETIME,
                    allow_rollback_after_completion INTEGER NOT NULL DEFAULT 0,
                    created DATETIME NOT NULL,
                    user_id INTEGER NOT NULL,
                    UNIQUE (campaign_id, name)
                );
                CREATE INDEX achievement_application ON achievement(application_id, id);
                CREATE TABLE achievement_progress (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    achievement_id INTEGER NOT NULL REFERENCES achievement(id) ON DELETE CASCADE,
                    profile_integration_id TEXT NOT NULL,
                    period_key TEXT NOT NULL,
                    progress_units INTEGER NOT NULL,
                    target_units INTEGER NOT NULL,
                    start_date DATETIME NOT NULL,
                    end_date DATETIME,
                    completion_date DATETIME,
                    created DATETIME NOT NULL,
                    UNIQUE (achievement_id, profile_integration_id, period_key)
                );
                CREATE INDEX achievement_progress_profile ON achievement_progress(profile_integration_id, achievement_id, id);
                CREATE TABLE achievement_progress_entry (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    tracker_id INTEGER NOT NULL REFERENCES achievement_progress(id) ON DELETE CASCADE,
                    application_id INTEGER NOT NULL,
                    session_integration_id TEXT NOT NULL,
                    delta_units INTEGER NOT NULL,
                    rolled_back INTEGER NOT NULL DEFAULT 0,
                    created DATETIME NOT NULL
                );
                CREATE INDEX achievement_progress_entry_session
                    ON achievement_progress_entry(application_id, session_integration_id);
                """)
        }
    }
}
