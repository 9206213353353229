import GRDB

extension Migrations {
    /// Returns roll back part of a close's entries, so rollbacks and refunds name the entry they give back
    /// (`lot_id`) and are summed by it on every return and cancel: an index instead of a scan of the ledger.
    static func registerLoyaltyReturns(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v23-loyalty-returns") { db in
            try db.execute(sql: "CREATE INDEX loyalty_ledger_lot ON loyalty_ledger(lot_id) WHERE lot_id IS NOT NULL")
        }
    }
}
