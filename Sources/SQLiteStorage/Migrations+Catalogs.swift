import GRDB

extension Migrations {
    static func registerCatalogs(in migrator: inout DatabaseMigrator) {
        // Catalogs belong to the account; items are unique per catalog and SKU; every price a sync sets is kept
        // (`catalog_price`) for the price history and the best prior price. Prices are exact decimal text.
        migrator.registerMigration("v20-catalogs") { db in
            try db.execute(sql: """
                CREATE TABLE catalog (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id INTEGER NOT NULL REFERENCES account(id),
                    name TEXT NOT NULL,
                    description TEXT NOT NULL,
                    subscribed_application_ids TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    created DATETIME NOT NULL,
                    created_by INTEGER NOT NULL,
                    modified DATETIME NOT NULL
                );
                CREATE INDEX catalog_account ON catalog(account_id, id);
                CREATE TABLE catalog_item (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    catalog_id INTEGER NOT NULL REFERENCES catalog(id) ON DELETE CASCADE,
                    sku TEXT NOT NULL,
                    price TEXT,
                    attributes TEXT NOT NULL,
                    product TEXT,
                    version INTEGER NOT NULL,
                    created DATETIME NOT NULL,
                    UNIQUE (catalog_id, sku)
                );
                CREATE TABLE catalog_price (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    catalog_id INTEGER NOT NULL REFERENCES catalog(id) ON DELETE CASCADE,
                    sku TEXT NOT NULL,
                    price TEXT NOT NULL,
                    observed DATETIME NOT NULL
                );
                CREATE INDEX catalog_price_sku ON catalog_price(sku, observed);
                """)
        }
    }
}
