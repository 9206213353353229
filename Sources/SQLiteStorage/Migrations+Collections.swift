import GRDB

extension Migrations {
    static func registerCollections(in migrator: inout DatabaseMigrator) {
        // Account collections have no campaign; campaign collections name theirs. Items are rows (a collection
        // holds up to 500,000), read whole into a set when an application's configuration is compiled.
        migrator.registerMigration("v12-referrals-collections") { db in
            try db.execute(sql: """
                CREATE TABLE item_collection (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id INTEGER NOT NULL REFERENCES account(id),
                    application_id INTEGER REFERENCES application(id) ON DELETE CASCADE,
                    campaign_id INTEGER REFERENCES campaign(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    description TEXT,
                    subscribed_applications TEXT NOT NULL, -- [Int64] as JSON
                    created_by INTEGER NOT NULL,
                    modified_by INTEGER,
                    created DATETIME NOT NULL,
                    modified DATETIME NOT NULL
                );
                CREATE UNIQUE INDEX item_collection_name ON item_collection(account_id, ifnull(campaign_id, 0), name);
                CREATE INDEX item_collection_campaign ON item_collection(campaign_id);
                CREATE TABLE collection_item (
                    collection_id INTEGER NOT NULL REFERENCES item_collection(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    item TEXT NOT NULL,
                    PRIMARY KEY (collection_id, position),
                    UNIQUE (collection_id, item)
                );
                """)
        }
    }
}
