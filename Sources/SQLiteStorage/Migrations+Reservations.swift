import GRDB

extension Migrations {
    static func registerReservations(in migrator: inout DatabaseMigrator) {
        // Coupon reservations: one row per coupon and customer integration id (the profile may not exist yet),
        // looked up by coupon on the session path and by customer for the inventory. `reservation_counter` is the
        // number of rows, moved in the same statement group as the rows.
        migrator.registerMigration("v15-reservations") { db in
            try db.execute(sql: """
                CREATE TABLE coupon_reservation (
                    coupon_id INTEGER NOT NULL REFERENCES coupon(id) ON DELETE CASCADE,
                    application_id INTEGER NOT NULL,
                    integration_id TEXT NOT NULL,
                    created DATETIME NOT NULL,
                    PRIMARY KEY (coupon_id, integration_id)
                );
                CREATE INDEX coupon_reservation_customer ON coupon_reservation(application_id, integration_id);
                ALTER TABLE coupon ADD COLUMN reservation_counter INTEGER NOT NULL DEFAULT 0;
                """)
        }
    }
}
