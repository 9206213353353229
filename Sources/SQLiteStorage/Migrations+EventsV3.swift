import GRDB

extension Migrations {
    static func registerEventsV3(in migrator: inout DatabaseMigrator) {
        // Advanced events carry the shop's id, unique per application: the index refuses a second one, whichever
        // node or request writes it.
        migrator.registerMigration("v19-events-v3") { db in
            try db.execute(sql: """
                ALTER TABLE event ADD COLUMN integration_id TEXT;
                ALTER TABLE event ADD COLUMN connected_session_id TEXT;
                CREATE UNIQUE INDEX event_integration_id ON event(application_id, integration_id)
                    WHERE integration_id IS NOT NULL;
                """)
        }
    }
}
