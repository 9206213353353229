import GRDB

extension Migrations {
    static func registerCampaignSets(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-campaign-sets") { db in
            try db.execute(sql: """
                CREATE TABLE campaign_set (
                    application_id INTEGER PRIMARY KEY REFERENCES application(id) ON DELETE CASCADE,
                    version INTEGER NOT NULL,
                    tree TEXT NOT NULL, -- EvaluationGroup as JSON
                    updated_by TEXT,
                    updated DATETIME NOT NULL
                );
                """)
        }
    }
}
