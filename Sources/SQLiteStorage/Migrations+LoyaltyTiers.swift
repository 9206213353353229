import GRDB

extension Migrations {
    /// Stored memberships: one row per holder and (sub)ledger with its tier (name, start, expiry); the main
    /// ledger's row carries the join date. Existing holders join at their first ledger entry, as before.
    static func registerLoyaltyTiers(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v22-loyalty-tiers") { db in
            try db.execute(sql: """
                CREATE TABLE loyalty_membership (
                    program_id INTEGER NOT NULL REFERENCES loyalty_program(id) ON DELETE CASCADE,
                    holder_kind TEXT NOT NULL,
                    holder TEXT NOT NULL,
                    subledger_id TEXT NOT NULL, -- '' the main ledger: its row carries the join date
                    joined DATETIME,
                    tier_name TEXT,
                    tier_start DATETIME,
                    tier_expiry DATETIME,
                    PRIMARY KEY (program_id, holder_kind, holder, subledger_id)
                );
                CREATE INDEX loyalty_membership_tier_expiry ON loyalty_membership(tier_expiry)
                    WHERE tier_expiry IS NOT NULL;
                INSERT INTO loyalty_membership (program_id, holder_kind, holder, subledger_id, joined)
                    SELECT program_id, holder_kind, holder, '', MIN(created) FROM loyalty_ledger
                    GROUP BY program_id, holder_kind, holder;
                """)
        }
    }
}
