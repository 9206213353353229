import GRDB

/// The schema, as named, append-only migrations. A landed migration is never edited: add a new one.
enum Migrations {
    /// Every area's migrations, in the order they landed.
    static func register(in migrator: inout DatabaseMigrator) {
        registerAccounts(in: &migrator)
        registerSessions(in: &migrator)
        registerAccessLog(in: &migrator)
        registerCampaigns(in: &migrator)
        registerAttributes(in: &migrator)
        registerEvaluation(in: &migrator)
        registerDefinitions(in: &migrator)
        registerHardening(in: &migrator)
        registerGuards(in: &migrator)
        registerCluster(in: &migrator)
        registerReferrals(in: &migrator)
        registerAudiences(in: &migrator)
        registerCollections(in: &migrator)
        registerLoyalty(in: &migrator)
        registerReservations(in: &migrator)
        registerWebhooks(in: &migrator)
        registerGiveaways(in: &migrator)
        registerLoyaltyManagement(in: &migrator)
        registerAchievements(in: &migrator)
        registerCatalogs(in: &migrator)
        registerEventsV3(in: &migrator)
        registerLimits(in: &migrator)
        registerLoyaltyReturns(in: &migrator)
        registerLoyaltyTiers(in: &migrator)
    }

    static func registerAccounts(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1-accounts-applications-keys") { db in
            try db.execute(sql: """
                CREATE TABLE account (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    created DATETIME NOT NULL
                );
                CREATE TABLE user (
                    id INTEGER PRIMARY KEY,
                    account_id INTEGER NOT NULL REFERENCES account(id),
                    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    name TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    created DATETIME NOT NULL
                );
                CREATE TABLE auth_session (
                    token_hash TEXT PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                    account_id INTEGER NOT NULL,
                    created DATETIME NOT NULL,
                    expires DATETIME NOT NULL
                );
                CREATE TABLE application (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id INTEGER NOT NULL REFERENCES account(id),
                    name TEXT NOT NULL,
                    created DATETIME NOT NULL,
                    modified DATETIME NOT NULL,
                    settings TEXT NOT NULL -- ApplicationSettings as JSON
                );
                CREATE INDEX application_account ON application(account_id);
                CREATE TABLE management_key (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id INTEGER NOT NULL REFERENCES account(id),
                    created_by INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    key_hash TEXT NOT NULL UNIQUE,
                    expiry_date DATETIME NOT NULL,
                    endpoints TEXT NOT NULL, -- [ManagementKeyEndpoint] as JSON
                    allowed_application_ids TEXT NOT NULL, -- [Int64] as JSON
                    created DATETIME NOT NULL,
                    last_used DATETIME
                );
                CREATE TABLE integration_key (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id INTEGER NOT NULL,
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    created_by INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    key_hash TEXT NOT NULL UNIQUE,
                    expires DATETIME NOT NULL,
                    type TEXT NOT NULL,
                    platform TEXT,
                    time_offset INTEGER NOT NULL,
                    created DATETIME NOT NULL
                );
                CREATE INDEX integration_key_application ON integration_key(application_id);
                """)
        }
    }
}
