import Foundation
import PromotionEngine

/// A webhook call waiting in the outbox: written by the session commit that triggered it (same transaction),
/// sent by any node's worker after it, retried until it is `delivered` or `failed`.
public struct WebhookDelivery: Sendable, Hashable {
    public enum State: String, Sendable { case pending, delivered, failed }

    public var id: Int64
    /// The idempotency id the receiver sees on every attempt (`Idempotency-Key`).
    public var key: String
    public var webhookId: Int64
    public var applicationId: Int64
    public var request: WebhookRequest
    /// Attempts started so far (a claim counts one, so a node killed mid-send still uses one up).
    public var attempts: Int
    public var state: State
    public var created: Date
    /// The webhook's signing secret (read with the claim; empty elsewhere).
    public var secret: String

    public init(id: Int64 = 0, key: String, webhookId: Int64, applicationId: Int64, request: WebhookRequest,
                attempts: Int = 0, state: State = .pending, created: Date, secret: String = "")
    {
        (self.id, self.key, self.webhookId, self.applicationId, self.request) = (id, key, webhookId, applicationId, request)
        (self.attempts, self.state, self.created, self.secret) = (attempts, state, created, secret)
    }
}

/// One attempt to send a delivery, as its log keeps it.
public struct WebhookAttempt: Sendable, Hashable {
    public enum Outcome: String, Sendable, Codable {
        /// The receiver answered 2xx.
        case delivered
        /// 5xx, timeout or connection error: tried again later.
        case retrying
        /// Given up: a 4xx answer, or the last allowed attempt failed.
        case failed
        /// Not sent: the URL resolved to an address the SSRF guard refuses.
        case refused
    }

    public var id: Int64
    public var deliveryId: Int64
    public var deliveryKey: String
    public var webhookId: Int64
    public var applicationId: Int64
    public var attempt: Int
    public var started: Date
    public var outcome: Outcome
    /// The HTTP status, nil when no answer came.
    public var status: Int?
    public var latencyMilliseconds: Int
    /// The first bytes of the answer, or what went wrong.
    public var excerpt: String

    public init(id: Int64 = 0, deliveryId: Int64, deliveryKey: String, webhookId: Int64, applicationId: Int64,
                attempt: Int, started: Date, outcome: Outcome, status: Int?, latencyMilliseconds: Int, excerpt: String)
    {
        (self.id, self.deliveryId, self.deliveryKey, self.webhookId, self.applicationId) =
            (id, deliveryId, deliveryKey, webhookId, applicationId)
        (self.attempt, self.started, self.outcome, self.status, self.latencyMilliseconds, self.excerpt) =
            (attempt, started, outcome, status, latencyMilliseconds, excerpt)
    }
}

/// Webhook definitions (account-wide; a change bumps the campaign revision of the account's applications, whose
/// lineups carry them) and their delivery outbox.
public protocol WebhookStore: Sendable {
    func createWebhook(accountId: Int64, settings: WebhookSettings, secret: String, now: Date) async throws -> Webhook
    func updateWebhook(id: Int64, accountId: Int64, settings: WebhookSettings, now: Date) async throws -> Webhook
    /// Deletes the webhook with its pending deliveries and its log.
    func deleteWebhook(id: Int64, accountId: Int64) async throws
    func webhook(id: Int64, accountId: Int64) async throws -> Webhook
    /// `applicationId`: only webhooks available there; `title`: case-insensitive substring.
    func webhooks(accountId: Int64, applicationId: Int64?, title: String?, page: PageRequest) async throws -> Page<Webhook>
    /// The webhooks rules of an application may trigger, by id (loaded with its lineup).
    func webhooks(applicationId: Int64) async throws -> [Int64: Webhook]
    func webhookSecret(id: Int64, accountId: Int64) async throws -> String

    /// Whether some delivery is due at `now` and not leased (a cheap read before claiming).
    func hasDueWebhookDelivery(now: Date) async throws -> Bool
    /// Takes up to `limit` due, unleased deliveries (oldest due first) for `holder` until `until`, counting one
    /// attempt on each, in one statement: two nodes never take the same row while its lease runs.
    func claimWebhookDeliveries(holder: String, now: Date, until: Date, limit: Int) async throws -> [WebhookDelivery]
    /// Records an attempt in the log and moves the delivery on: delivered or failed (`nextAttempt` nil), or due
    /// again at `nextAttempt`. A holder that lost its lease meanwhile only logs.
    func finishWebhookAttempt(_ attempt: WebhookAttempt, holder: String, nextAttempt: Date?) async throws
    func webhookAttempts(webhookId: Int64, accountId: Int64, page: PageRequest) async throws -> Page<WebhookAttempt>
    func webhookDelivery(key: String) async throws -> WebhookDelivery?
}
