import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: WebhookStore {
    public func createWebhook(accountId: Int64, settings: WebhookSettings, secret: String, now: Date) async throws -> Webhook {
        let json = try Self.encodeJSON(settings)
        return try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO webhook (account_id, title, settings, secret, created, modified) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [accountId, settings.title, json, secret, now, now])
            try Self.bumpRevisions(db, accountId: accountId)
            return Webhook(id: db.lastInsertedRowID, accountId: accountId, created: now, modified: now, settings: settings)
        }
    }

    public func updateWebhook(id: Int64, accountId: Int64, settings: WebhookSettings, now: Date) async throws -> Webhook {
        let json = try Self.encodeJSON(settings)
        return try await pool.write { db in
            var webhook = try Self.webhook(db, id: id, accountId: accountId)
            try db.execute(sql: "UPDATE webhook SET title = ?, settings = ?, modified = ? WHERE id = ?",
                           arguments: [settings.title, json, now, id])
            try Self.bumpRevisions(db, accountId: accountId)
            (webhook.settings, webhook.modified) = (settings, now)
            return webhook
        }
    }

    public func deleteWebhook(id: Int64, accountId: Int64) async throws {
        try await pool.write { db in
            _ = try Self.webhook(db, id: id, accountId: accountId)
            try db.execute(sql: "DELETE FROM webhook_delivery WHERE webhook_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM webhook_attempt WHERE webhook_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM webhook WHERE id = ?", arguments: [id])
            try Self.bumpRevisions(db, accountId: accountId)
        }
    }

    public func webhook(id: Int64, accountId: Int64) async throws -> Webhook {
        try await pool.read { db in try Self.webhook(db, id: id, accountId: accountId) }
    }

    public func webhooks(accountId: Int64, applicationId: Int64?, title: String?, page: PageRequest) async throws
        -> Page<Webhook>
    {
        let order = try Self.orderClause(page.sort, allowed: ["id": "id", "title": "title", "created": "created",
                                                               "modified": "modified"], default: "id")
        let all = try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM webhook WHERE account_id = ? \(order)", arguments: [accountId])
                .map(Self.webhook(from:))
        }
        let matching = all.filter { webhook in
            applicationId.map(webhook.applies(to:)) ?? true
                && title.map { webhook.settings.title.localizedCaseInsensitiveContains($0) } ?? true
        }
        return Page(items: Array(matching.dropFirst(page.skip).prefix(page.pageSize)), totalCount: matching.count)
    }

    public func webhooks(applicationId: Int64) async throws -> [Int64: Webhook] {
        let all = try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT w.* FROM webhook w JOIN application a ON a.account_id = w.account_id WHERE a.id = ?
                """, arguments: [applicationId]).map(Self.webhook(from:))
        }
        return Dictionary(uniqueKeysWithValues: all.filter { $0.applies(to: applicationId) }.map { ($0.id, $0) })
    }

    public func webhookSecret(id: Int64, accountId: Int64) async throws -> String {
        try await pool.read { db in
            guard let secret = try String.fetchOne(db, sql: "SELECT secret FROM webhook WHERE id = ? AND account_id = ?",
                                                   arguments: [id, accountId])
            else { throw StoreError.notFound(entity: "webhook") }
            return secret
        }
    }

    public func hasDueWebhookDelivery(now: Date) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM webhook_delivery WHERE state = 'pending' AND next_attempt <= ?
                               AND (lease_expires IS NULL OR lease_expires <= ?))
                """, arguments: [now, now]) ?? false
        }
    }

    public func claimWebhookDeliveries(holder: String, now: Date, until: Date, limit: Int) async throws
        -> [WebhookDelivery]
    {
        try await pool.write { db in
            // One statement: a row is taken only while unleased (or its lease ran out), whoever else claims.
            try Row.fetchAll(db, sql: """
                UPDATE webhook_delivery SET holder = ?, lease_expires = ?, attempts = attempts + 1
                WHERE id IN (SELECT id FROM webhook_delivery
                             WHERE state = 'pending' AND next_attempt <= ? AND (lease_expires IS NULL OR lease_expires <= ?)
                             ORDER BY next_attempt, id LIMIT ?)
                  AND state = 'pending' AND (lease_expires IS NULL OR lease_expires <= ?)
                RETURNING *, (SELECT secret FROM webhook WHERE webhook.id = webhook_delivery.webhook_id) AS secret
                """, arguments: [holder, until, now, now, limit, now]).map(Self.delivery(from:))
                .sorted { $0.id < $1.id }
        }
    }

    public func finishWebhookAttempt(_ attempt: WebhookAttempt, holder: String, nextAttempt: Date?) async throws {
        let state: WebhookDelivery.State = switch attempt.outcome {
        case .delivered: .delivered
        case .retrying: .pending
        case .failed, .refused: nextAttempt == nil ? .failed : .pending
        }
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO webhook_attempt (delivery_id, delivery_key, webhook_id, application_id, attempt, started,
                    outcome, status, latency_ms, excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [attempt.deliveryId, attempt.deliveryKey, attempt.webhookId, attempt.applicationId,
                                 attempt.attempt, attempt.started, attempt.outcome.rawValue, attempt.status,
                                 attempt.latencyMilliseconds, attempt.excerpt])
            try db.execute(sql: """
                UPDATE webhook_delivery SET state = ?, next_attempt = COALESCE(?, next_attempt), holder = NULL,
                    lease_expires = NULL
                WHERE id = ? AND holder = ? AND state = 'pending'
                """, arguments: [state.rawValue, nextAttempt, attempt.deliveryId, holder])
        }
    }

    public func webhookAttempts(webhookId: Int64, accountId: Int64, page: PageRequest) async throws
        -> Page<WebhookAttempt>
    {
        try await pool.read { db in
            _ = try Self.webhook(db, id: webhookId, accountId: accountId)
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_attempt WHERE webhook_id = ?",
                                         arguments: [webhookId]) ?? 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM webhook_attempt WHERE webhook_id = ? ORDER BY id DESC LIMIT ? OFFSET ?
                """, arguments: [webhookId, page.pageSize, page.skip])
            return Page(items: try rows.map(Self.attempt(from:)), totalCount: total)
        }
    }

    public func webhookDelivery(key: String) async throws -> WebhookDelivery? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT *, '' AS secret FROM webhook_delivery WHERE delivery_key = ?",
                             arguments: [key]).map(Self.delivery(from:))
        }
    }

    /// Writes a commit's deliveries, due at once.
    static func insertWebhookDeliveries(_ db: Database, _ deliveries: [WebhookDelivery]) throws {
        for delivery in deliveries {
            try db.cachedStatement(sql: """
                INSERT INTO webhook_delivery (delivery_key, webhook_id, application_id, request, state, next_attempt, created)
                VALUES (?, ?, ?, ?, 'pending', ?, ?)
                """).execute(arguments: [delivery.key, delivery.webhookId, delivery.applicationId,
                                         try encodeJSON(delivery.request), delivery.created.stored, delivery.created.stored])
        }
    }

    private static func webhook(_ db: Database, id: Int64, accountId: Int64) throws -> Webhook {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM webhook WHERE id = ? AND account_id = ?",
                                         arguments: [id, accountId])
        else { throw StoreError.notFound(entity: "webhook") }
        return try webhook(from: row)
    }

    private static func webhook(from row: Row) throws -> Webhook {
        Webhook(id: row["id"], accountId: row["account_id"], created: row["created"], modified: row["modified"],
                settings: try decodeJSON(WebhookSettings.self, from: row["settings"]))
    }

    private static func delivery(from row: Row) throws -> WebhookDelivery {
        WebhookDelivery(
            id: row["id"], key: row["delivery_key"], webhookId: row["webhook_id"], applicationId: row["application_id"],
            request: try decodeJSON(WebhookRequest.self, from: row["request"]), attempts: row["attempts"],
            state: WebhookDelivery.State(rawValue: row["state"]) ?? .pending, created: row["created"],
            secret: row["secret"] ?? ""
        )
    }

    private static func attempt(from row: Row) throws -> WebhookAttempt {
        WebhookAttempt(
            id: row["id"], deliveryId: row["delivery_id"], deliveryKey: row["delivery_key"], webhookId: row["webhook_id"],
            applicationId: row["application_id"], attempt: row["attempt"], started: row["started"],
            outcome: WebhookAttempt.Outcome(rawValue: row["outcome"]) ?? .failed, status: row["status"],
            latencyMilliseconds: row["latency_ms"], excerpt: row["excerpt"]
        )
    }
}
