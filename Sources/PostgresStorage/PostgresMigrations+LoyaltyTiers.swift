extension PostgresMigrations {
    /// SQLite's `v22-loyalty-tiers`: stored memberships (tiers per holder and (sub)ledger, join dates on the main
    /// ledger's row); existing holders join at their first ledger entry.
    static let loyaltyTiersV12 = [
        """
        CREATE TABLE loyalty_membership (
            program_id BIGINT NOT NULL REFERENCES loyalty_program(id) ON DELETE CASCADE,
            holder_kind TEXT NOT NULL,
            holder TEXT COLLATE "C" NOT NULL,
            subledger_id TEXT COLLATE "C" NOT NULL,
            joined TIMESTAMPTZ,
            tier_name TEXT,
            tier_start TIMESTAMPTZ,
            tier_expiry TIMESTAMPTZ,
            PRIMARY KEY (program_id, holder_kind, holder, subledger_id)
        )
        """,
        "CREATE INDEX loyalty_membership_tier_expiry ON loyalty_membership(tier_expiry) WHERE tier_expiry IS NOT NULL",
        """
        INSERT INTO loyalty_membership (program_id, holder_kind, holder, subledger_id, joined)
        SELECT program_id, holder_kind, holder, '', MIN(created) FROM loyalty_ledger
        GROUP BY program_id, holder_kind, holder
        """,
    ]
}
