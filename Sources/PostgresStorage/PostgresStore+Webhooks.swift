import Foundation
import PromotionEngine
import Storage

extension PostgresStore: WebhookStore {
    public func createWebhook(accountId: Int64, settings: WebhookSettings, secret: String, now: Date) async throws -> Webhook {
        let json = try StoredJSON.encode(settings)
        return try await write { db in
            let id = try await db.value(Int64.self, """
                INSERT INTO webhook (account_id, title, settings, secret, created, modified) VALUES (?, ?, ?, ?, ?, ?)
                RETURNING id
                """, [accountId, settings.title, json, secret, now, now]) ?? 0
            try await Self.bumpRevisions(db, accountId: accountId)
            return Webhook(id: id, accountId: accountId, created: now.storagePrecision, modified: now.storagePrecision,
                           settings: settings)
        }
    }

    public func updateWebhook(id: Int64, accountId: Int64, settings: WebhookSettings, now: Date) async throws -> Webhook {
        let json = try StoredJSON.encode(settings)
        return try await write { db in
            var webhook = try await Self.webhook(db, id: id, accountId: accountId)
            try await db.execute("UPDATE webhook SET title = ?, settings = ?, modified = ? WHERE id = ?",
                                 [settings.title, json, now, id])
            try await Self.bumpRevisions(db, accountId: accountId)
            (webhook.settings, webhook.modified) = (settings, now.storagePrecision)
            return webhook
        }
    }

    public func deleteWebhook(id: Int64, accountId: Int64) async throws {
        try await write { db in
            _ = try await Self.webhook(db, id: id, accountId: accountId)
            try await db.execute("DELETE FROM webhook_delivery WHERE webhook_id = ?", [id])
            try await db.execute("DELETE FROM webhook_attempt WHERE webhook_id = ?", [id])
            try await db.execute("DELETE FROM webhook WHERE id = ?", [id])
            try await Self.bumpRevisions(db, accountId: accountId)
        }
    }

    public func webhook(id: Int64, accountId: Int64) async throws -> Webhook {
        try await read { db in try await Self.webhook(db, id: id, accountId: accountId) }
    }

    public func webhooks(accountId: Int64, applicationId: Int64?, title: String?, page: PageRequest) async throws
        -> Page<Webhook>
    {
        let order = try listingOrder(page.sort, allowed: ["id": "id", "title": "title", "created": "created",
                                                          "modified": "modified"], default: "id")
        let all = try await read { db in
            try await db.rows("SELECT * FROM webhook WHERE account_id = ? \(order)", [accountId]).map(Self.webhook(from:))
        }
        let matching = all.filter { webhook in
            applicationId.map(webhook.applies(to:)) ?? true
                && title.map { webhook.settings.title.localizedCaseInsensitiveContains($0) } ?? true
        }
        return Page(items: Array(matching.dropFirst(page.skip).prefix(page.pageSize)), totalCount: matching.count)
    }

    public func webhooks(applicationId: Int64) async throws -> [Int64: Webhook] {
        let all = try await read { db in
            try await db.rows("""
                SELECT w.* FROM webhook w JOIN application a ON a.account_id = w.account_id WHERE a.id = ?
                """, [applicationId]).map(Self.webhook(from:))
        }
        return Dictionary(uniqueKeysWithValues: all.filter { $0.applies(to: applicationId) }.map { ($0.id, $0) })
    }

    public func webhookSecret(id: Int64, accountId: Int64) async throws -> String {
        try await read { db in
            guard let secret = try await db.value(String.self, "SELECT secret FROM webhook WHERE id = ? AND account_id = ?",
                                                  [id, accountId])
            else { throw StoreError.notFound(entity: "webhook") }
            return secret
        }
    }

    public func hasDueWebhookDelivery(now: Date) async throws -> Bool {
        try await read { db in
            try await db.value(Bool.self, """
                SELECT EXISTS (SELECT 1 FROM webhook_delivery WHERE state = 'pending' AND next_attempt <= ?
                               AND (lease_expires IS NULL OR lease_expires <= ?))
                """, [now, now]) ?? false
        }
    }

    public func claimWebhookDeliveries(holder: String, now: Date, until: Date, limit: Int) async throws
        -> [WebhookDelivery]
    {
        try await write { db in
            // SKIP LOCKED: nodes claiming at once take different rows instead of queueing on the same ones.
            try await db.rows("""
                UPDATE webhook_delivery d SET holder = ?, lease_expires = ?, attempts = d.attempts + 1
                FROM (SELECT id FROM webhook_delivery
                      WHERE state = 'pending' AND next_attempt <= ? AND (lease_expires IS NULL OR lease_expires <= ?)
                      ORDER BY next_attempt, id LIMIT ? FOR UPDATE SKIP LOCKED) due
                WHERE d.id = due.id
                RETURNING d.*, COALESCE((SELECT secret FROM webhook w WHERE w.id = d.webhook_id), '') AS secret
                """, [holder, until, now, now, limit]).map(Self.delivery(from:)).sorted { $0.id < $1.id }
        }
    }

    public func finishWebhookAttempt(_ attempt: WebhookAttempt, holder: String, nextAttempt: Date?) async throws {
        let state: WebhookDelivery.State = nextAttempt != nil ? .pending : attempt.outcome == .delivered ? .delivered : .failed
        try await write { db in
            try await db.execute("""
                INSERT INTO webhook_attempt (delivery_id, delivery_key, webhook_id, application_id, attempt, started,
                    outcome, status, latency_ms, excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [attempt.deliveryId, attempt.deliveryKey, attempt.webhookId, attempt.applicationId,
                      attempt.attempt, attempt.started, attempt.outcome.rawValue, attempt.status,
                      attempt.latencyMilliseconds, attempt.excerpt])
            try await db.execute("""
                UPDATE webhook_delivery SET state = ?, next_attempt = COALESCE(?, next_attempt), holder = NULL,
                    lease_expires = NULL
                WHERE id = ? AND holder = ? AND state = 'pending'
                """, [state.rawValue, nextAttempt, attempt.deliveryId, holder])
        }
    }

    public func webhookAttempts(webhookId: Int64, accountId: Int64, page: PageRequest) async throws
        -> Page<WebhookAttempt>
    {
        try await read { db in
            _ = try await Self.webhook(db, id: webhookId, accountId: accountId)
            let total = try await db.value(Int.self, "SELECT COUNT(*) FROM webhook_attempt WHERE webhook_id = ?",
                                           [webhookId]) ?? 0
            let rows = try await db.rows("""
                SELECT * FROM webhook_attempt WHERE webhook_id = ? ORDER BY id DESC LIMIT ? OFFSET ?
                """, [webhookId, page.pageSize, page.skip])
            return Page(items: try rows.map(Self.attempt(from:)), totalCount: total)
        }
    }

    public func webhookDelivery(key: String) async throws -> WebhookDelivery? {
        try await read { db in
            try await db.row("SELECT *, '' AS secret FROM webhook_delivery WHERE delivery_key = ?", [key])
                .map(Self.delivery(from:))
        }
    }

    /// Writes a commit's deliveries, due at once.
    static func insertWebhookDeliveries(_ db: Database, _ deliveries: [WebhookDelivery]) async throws {
        for delivery in deliveries {
            try await db.execute("""
                INSERT INTO webhook_delivery (delivery_key, webhook_id, application_id, request, state, next_attempt, created)
                VALUES (?, ?, ?, ?, 'pending', ?, ?)
                """, [delivery.key, delivery.webhookId, delivery.applicationId, try StoredJSON.encode(delivery.request),
                      delivery.created, delivery.created])
        }
    }

    private static func webhook(_ db: Database, id: Int64, accountId: Int64) async throws -> Webhook {
        guard let row = try await db.row("SELECT * FROM webhook WHERE id = ? AND account_id = ?", [id, accountId])
        else { throw StoreError.notFound(entity: "webhook") }
        return try webhook(from: row)
    }

    private static func webhook(from row: Row) throws -> Webhook {
        Webhook(id: try row["id"], accountId: try row["account_id"], created: try row.date("created"),
                modified: try row.date("modified"),
                settings: try StoredJSON.decode(WebhookSettings.self, from: try row["settings"]))
    }

    private static func delivery(from row: Row) throws -> WebhookDelivery {
        WebhookDelivery(
            id: try row["id"], key: try row["delivery_key"], webhookId: try row["webhook_id"],
            applicationId: try row["application_id"],
            request: try StoredJSON.decode(WebhookRequest.self, from: try row["request"]),
            attempts: Int(try row["attempts"] as Int64),
            state: WebhookDelivery.State(rawValue: try row["state"]) ?? .pending, created: try row.date("created"),
            secret: try row["secret"]
        )
    }

    private static func attempt(from row: Row) throws -> WebhookAttempt {
        WebhookAttempt(
            id: try row["id"], deliveryId: try row["delivery_id"], deliveryKey: try row["delivery_key"],
            webhookId: try row["webhook_id"], applicationId: try row["application_id"],
            attempt: Int(try row["attempt"] as Int64), started: try row.date("started"),
            outcome: WebhookAttempt.Outcome(rawValue: try row["outcome"]) ?? .failed,
            status: (try row["status"] as Int64?).map(Int.init),
            latencyMilliseconds: Int(try row["latency_ms"] as Int64), excerpt: try row["excerpt"]
        )
    }
}
