import GRDB

extension Migrations {
    /// Loyalty programs, their subscribed applications, the ledger (one row per entry; additions are lots
    /// whose unspent, unexpired rest is `remaining_units`) and one balance row per holder and subledger whose
    /// `active_units` is the sum of the holder's counted (`activated = 1`) entries: the row spends are guarded on.
    static func registerLoyalty(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v14-loyalty-programs-ledger") { db in
            try db.execute(sql: """
                CREATE TABLE loyalty_program (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id INTEGER NOT NULL REFERENCES account(id),
                    name TEXT NOT NULL,
                    settings TEXT NOT NULL, -- LoyaltyProgramSettings as JSON
                    created DATETIME NOT NULL,
                    UNIQUE (account_id, name)
                );
                CREATE TABLE loyalty_program_application (
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    program_id INTEGER NOT NULL REFERENCES loyalty_program(id) ON DELETE CASCADE,
                    PRIMARY KEY (application_id, program_id)
                );
                CREATE TABLE loyalty_ledger (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    program_id INTEGER NOT NULL REFERENCES loyalty_program(id) ON DELETE CASCADE,
                    holder_kind TEXT NOT NULL, -- 'profile' or 'card'
                    holder TEXT NOT NULL,
                    subledger_id TEXT NOT NULL,
                    kind TEXT NOT NULL, -- LoyaltyEntryKind
                    amount_units INTEGER NOT NULL, -- StoredMoney units (10^-4 points), signed
                    remaining_units INTEGER NOT NULL, -- additions: neither spent, expired nor rolled back
                    activated INTEGER NOT NULL, -- 1: counted in the active balance; 0: pending
                    awaits_activation INTEGER NOT NULL,
                    start_date DATETIME,
                    expiry_date DATETIME,
                    lot_id INTEGER, -- expire and rollback entries: the addition they take from
                    rolled_back INTEGER NOT NULL DEFAULT 0,
                    name TEXT NOT NULL,
                    transaction_uuid TEXT NOT NULL,
                    application_id INTEGER,
                    customer_session_id TEXT,
                    campaign_id INTEGER,
                    ruleset_id INTEGER,
                    rule_name TEXT,
                    user_id INTEGER,
                    created DATETIME NOT NULL
                );
                CREATE INDEX loyalty_ledger_holder ON loyalty_ledger(program_id, holder_kind, holder, subledger_id);
                CREATE INDEX loyalty_ledger_session ON loyalty_ledger(application_id, customer_session_id);
                CREATE INDEX loyalty_ledger_pending ON loyalty_ledger(activated, start_date);
                CREATE INDEX loyalty_ledger_expiring ON loyalty_ledger(expiry_date) WHERE remaining_units > 0;
                CREATE UNIQUE INDEX loyalty_ledger_expiry_once ON loyalty_ledger(lot_id) WHERE kind = 'expire';
                CREATE TABLE loyalty_balance (
                    program_id INTEGER NOT NULL REFERENCES loyalty_program(id) ON DELETE CASCADE,
                    holder_kind TEXT NOT NULL,
                    holder TEXT NOT NULL,
                    subledger_id TEXT NOT NULL,
                    active_units INTEGER NOT NULL,
                    PRIMARY KEY (program_id, holder_kind, holder, subledger_id)
                );
                """)
        }
        migrator.registerMigration("v14-loyalty-cards") { db in
            try db.execute(sql: """
                CREATE TABLE loyalty_card (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    program_id INTEGER NOT NULL REFERENCES loyalty_program(id) ON DELETE CASCADE,
                    identifier TEXT NOT NULL,
                    status TEXT NOT NULL,
                    linked_profiles INTEGER NOT NULL DEFAULT 0, -- rows of loyalty_card_profile: the link limit's guard
                    created DATETIME NOT NULL,
                    UNIQUE (program_id, identifier)
                );
                CREATE TABLE loyalty_card_profile (
                    card_id INTEGER NOT NULL REFERENCES loyalty_card(id) ON DELETE CASCADE,
                    profile_integration_id TEXT NOT NULL,
                    linked DATETIME NOT NULL,
                    PRIMARY KEY (card_id, profile_integration_id)
                );
                """)
        }
    }

    /// Cards the Management API blocks, transfers and creates in batches: why a card was blocked, where its
    /// points went (or came from), its batch and when it last changed.
    static func registerLoyaltyManagement(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v21-loyalty-management") { db in
            try db.execute(sql: """
                ALTER TABLE loyalty_card ADD COLUMN block_reason TEXT;
                ALTER TABLE loyalty_card ADD COLUMN batch_id TEXT;
                ALTER TABLE loyalty_card ADD COLUMN modified DATETIME;
                ALTER TABLE loyalty_card ADD COLUMN old_card_identifier TEXT;
                ALTER TABLE loyalty_card ADD COLUMN new_card_identifier TEXT;
                CREATE INDEX loyalty_card_batch ON loyalty_card(program_id, batch_id);
                """)
        }
    }
}
