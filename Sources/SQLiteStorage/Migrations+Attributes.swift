import GRDB

extension Migrations {
    static func registerAttributes(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-attributes-campaign-groups") { db in
            try db.execute(sql: """
                ALTER TABLE account ADD COLUMN attribute_revision INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE attribute (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id INTEGER NOT NULL REFERENCES account(id),
                    entity TEXT NOT NULL,
                    name TEXT NOT NULL,
                    definition TEXT NOT NULL, -- AttributeDefinition as JSON
                    created DATETIME NOT NULL,
                    UNIQUE (account_id, entity, name)
                );
                CREATE TABLE campaign_group (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id INTEGER NOT NULL REFERENCES account(id),
                    name TEXT NOT NULL,
                    settings TEXT NOT NULL, -- CampaignGroupSettings as JSON
                    created DATETIME NOT NULL,
                    modified DATETIME NOT NULL
                );
                """)
        }
    }
}
