import GRDB

extension Migrations {
    static func registerCluster(in migrator: inout DatabaseMigrator) {
        // One row every node polls. Triggers move it in the same transaction as each configuration write,
        // including cascades and any write path added later to these tables.
        migrator.registerMigration("v13-cluster-configuration-revision") { db in
            try db.execute(sql: """
                CREATE TABLE configuration_revision (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    revision INTEGER NOT NULL
                );
                INSERT INTO configuration_revision (id, revision) VALUES (1, 0);
                """)
            try db.execute(sql: bumpTriggers([
                ("application", "INSERT"), ("application", "UPDATE"), ("application", "DELETE"),
                ("account", "UPDATE OF attribute_revision"),
                ("integration_key", "INSERT"), ("integration_key", "DELETE"),
                ("management_key", "INSERT"), ("management_key", "DELETE"),
            ]))
        }
        migrator.registerMigration("v13-cluster-ip-allowlist") { db in
            try db.execute(sql: """
                ALTER TABLE account ADD COLUMN ip_allowlist TEXT NOT NULL DEFAULT '[]'; -- [CIDR] as JSON
                """)
            try db.execute(sql: bumpTriggers([("account", "UPDATE OF ip_allowlist")]))
        }
        migrator.registerMigration("v13-cluster-leases") { db in
            try db.execute(sql: """
                CREATE TABLE lease (
                    name TEXT PRIMARY KEY,
                    holder TEXT NOT NULL,
                    expires DATETIME NOT NULL
                );
                """)
        }
        migrator.registerMigration("v13-cluster-coupon-jobs") { db in
            try db.execute(sql: """
                CREATE TABLE coupon_job (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    campaign_id INTEGER NOT NULL,
                    batch_id TEXT NOT NULL,
                    requested INTEGER NOT NULL,
                    created INTEGER NOT NULL DEFAULT 0,
                    state TEXT NOT NULL, -- queued, running, done
                    holder TEXT,
                    lease_expires DATETIME,
                    failure TEXT,
                    codes_per_second REAL,
                    request TEXT NOT NULL, -- what to generate, as Services encoded it
                    enqueued DATETIME NOT NULL,
                    UNIQUE (application_id, batch_id)
                );
                CREATE INDEX coupon_job_claimable ON coupon_job(state, lease_expires);
                """)
        }
    }

    /// `CREATE TRIGGER`s that move the configuration revision after each (table, event).
    private static func bumpTriggers(_ events: [(table: String, event: String)]) -> String {
        events.map { table, event in
            let name = "bump_revision_\(table)_\(event.split(separator: " ").last!.lowercased())"
            return """
                CREATE TRIGGER \(name) AFTER \(event) ON \(table) BEGIN
                    UPDATE configuration_revision SET revision = revision + 1 WHERE id = 1;
                END;
                """
        }.joined(separator: "\n")
    }
}
