/// SQLite's `v19-events-v3` in PostgreSQL: advanced events' ids, unique per application.
extension PostgresMigrations {
    static let eventsV3V9: [String] = [
        "ALTER TABLE event ADD COLUMN integration_id TEXT COLLATE \"C\"",
        "ALTER TABLE event ADD COLUMN connected_session_id TEXT",
        """
        CREATE UNIQUE INDEX event_integration_id ON event(application_id, integration_id)
            WHERE integration_id IS NOT NULL
        """,
    ]
}
