import GRDB

extension Migrations {
    static func registerWebhooks(in migrator: inout DatabaseMigrator) {
        // Webhooks are account-wide; deliveries are the outbox the session commit writes (the rendered request,
        // self-contained) and workers claim under a lease; every attempt is logged.
        migrator.registerMigration("v16-webhooks") { db in
            try db.execute(sql: """
                CREATE TABLE webhook (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id INTEGER NOT NULL REFERENCES account(id),
                    title TEXT NOT NULL,
                    settings TEXT NOT NULL, -- WebhookSettings as JSON
                    secret TEXT NOT NULL,   -- the HMAC key deliveries are signed with
                    created DATETIME NOT NULL,
                    modified DATETIME NOT NULL
                );
                CREATE INDEX webhook_account ON webhook(account_id, id);
                CREATE TABLE webhook_delivery (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    delivery_key TEXT NOT NULL UNIQUE,
                    webhook_id INTEGER NOT NULL,
                    application_id INTEGER NOT NULL,
                    request TEXT NOT NULL, -- WebhookRequest as JSON
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt DATETIME NOT NULL,
                    holder TEXT,
                    lease_expires DATETIME,
                    created DATETIME NOT NULL
                );
                CREATE INDEX webhook_delivery_due ON webhook_delivery(state, next_attempt);
                CREATE INDEX webhook_delivery_webhook ON webhook_delivery(webhook_id);
                CREATE TABLE webhook_attempt (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    delivery_id INTEGER NOT NULL,
                    delivery_key TEXT NOT NULL,
                    webhook_id INTEGER NOT NULL,
                    application_id INTEGER NOT NULL,
                    attempt INTEGER NOT NULL,
                    started DATETIME NOT NULL,
                    outcome TEXT NOT NULL,
                    status INTEGER,
                    latency_ms INTEGER NOT NULL,
                    excerpt TEXT NOT NULL
                );
                CREATE INDEX webhook_attempt_webhook ON webhook_attempt(webhook_id, id);
                """)
        }
    }
}
