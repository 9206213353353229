import GRDB

extension Migrations {
    static func registerAccessLog(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-access-log") { db in
            try db.execute(sql: """
                CREATE TABLE access_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    uuid TEXT NOT NULL,
                    application_id INTEGER NOT NULL,
                    method TEXT NOT NULL,
                    request_uri TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    time DATETIME NOT NULL,
                    duration_ms REAL NOT NULL,
                    request_payload TEXT NOT NULL,
                    response_payload TEXT NOT NULL
                );
                CREATE INDEX access_log_application_time ON access_log(application_id, time);
                CREATE INDEX access_log_time ON access_log(time);
                """)
        }
    }
}
