import GRDB

extension Migrations {
    static func registerDefinitions(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8-campaign-templates") { db in
            try db.execute(sql: """
                CREATE TABLE campaign_template (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id INTEGER NOT NULL REFERENCES account(id),
                    user_id INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    state TEXT NOT NULL,
                    settings TEXT NOT NULL, -- CampaignTemplateSettings as JSON (with the template's rules)
                    created DATETIME NOT NULL,
                    updated DATETIME NOT NULL
                );
                CREATE INDEX campaign_template_account ON campaign_template(account_id);
                """)
        }
        migrator.registerMigration("v9-additional-costs") { db in
            try db.execute(sql: """
                CREATE TABLE additional_cost (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id INTEGER NOT NULL REFERENCES account(id),
                    name TEXT NOT NULL,
                    settings TEXT NOT NULL, -- AdditionalCostSettings as JSON
                    created DATETIME NOT NULL,
                    UNIQUE (account_id, name)
                );
                """)
        }
        migrator.registerMigration("v9-custom-effects") { db in
            try db.execute(sql: """
                CREATE TABLE custom_effect (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id INTEGER NOT NULL REFERENCES account(id),
                    name TEXT NOT NULL,
                    UNIQUE (account_id, name)
                );
                """)
        }
    }
}
