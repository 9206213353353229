import GRDB

extension Migrations {
    static func registerHardening(in migrator: inout DatabaseMigrator) {
        // Application-wide coupon pages (exports, analytics) in id order walk this index instead of
        // sorting every coupon of the application for each page.
        migrator.registerMigration("hardening-coupon-application-index") { db in
            try db.execute(sql: "CREATE INDEX coupon_application ON coupon(application_id, id)")
        }
    }
}
