extension PostgresMigrations {
    /// SQLite's `v23-loyalty-returns`: rollbacks and refunds are summed by the entry they give back (`lot_id`).
    static let loyaltyReturnsV13 = [
        "CREATE INDEX loyalty_ledger_lot ON loyalty_ledger(lot_id) WHERE lot_id IS NOT NULL",
    ]
}
