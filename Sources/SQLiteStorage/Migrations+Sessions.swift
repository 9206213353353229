import GRDB

extension Migrations {
    static func registerSessions(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-customer-sessions-profiles-events") { db in
            try db.execute(sql: """
                CREATE TABLE customer_profile (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    account_id INTEGER NOT NULL,
                    integration_id TEXT NOT NULL,
                    attributes TEXT NOT NULL, -- JSON object
                    closed_sessions INTEGER NOT NULL DEFAULT 0,
                    total_sales TEXT NOT NULL DEFAULT '0', -- Decimal as text: exact
                    created DATETIME NOT NULL,
                    last_activity DATETIME NOT NULL,
                    UNIQUE (application_id, integration_id)
                );
                CREATE TABLE customer_session (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    integration_id TEXT NOT NULL,
                    profile_integration_id TEXT,
                    state TEXT NOT NULL,
                    update_count INTEGER NOT NULL,
                    body TEXT NOT NULL, -- the session's cart, codes and attributes as JSON
                    effects TEXT NOT NULL, -- the effects of the last evaluation, JSON
                    close_ledger TEXT, -- what closing redeemed, JSON; NULL while not closed
                    created DATETIME NOT NULL,
                    updated DATETIME NOT NULL,
                    UNIQUE (application_id, integration_id)
                );
                CREATE INDEX customer_session_profile ON customer_session(application_id, profile_integration_id);
                CREATE TABLE event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    type TEXT NOT NULL,
                    session_integration_id TEXT,
                    profile_integration_id TEXT,
                    attributes TEXT NOT NULL,
                    effects TEXT NOT NULL,
                    created DATETIME NOT NULL
                );
                CREATE INDEX event_application_created ON event(application_id, created);
                """)
        }
    }
}
