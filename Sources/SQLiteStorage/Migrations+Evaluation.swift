import GRDB

extension Migrations {
    static func registerEvaluation(in migrator: inout DatabaseMigrator) {
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
        migrator.registerMigration("v7-campaign-period-counters") { db in
            try db.execute(sql: """
                CREATE TABLE campaign_period_counter (
                    campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
                    period_key TEXT NOT NULL, -- BudgetPeriod key, e.g. daily:2026-11-25
                    coupon_redemptions INTEGER NOT NULL,
                    discount TEXT NOT NULL, -- decimal
                    PRIMARY KEY (campaign_id, period_key)
                );
                """)
        }
    }
}
