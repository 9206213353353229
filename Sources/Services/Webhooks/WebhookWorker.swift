import Foundation
import Logging
import PromotionEngine
import ServiceLifecycle
import Storage

/// Sends the outbox: claims due deliveries under a lease (any node; a killed node's rows are taken over when the
/// lease runs out), checks the SSRF guard on the addresses the host resolves to now, sends each with its
/// idempotency id and HMAC-SHA256 signature, logs the attempt, and schedules a retry with backoff on 5xx,
/// timeouts and connection errors. The Integration API never waits on it.
public actor WebhookWorker: Service {
    public struct Configuration: Sendable {
        public var policy: WebhookAddressPolicy
        public var retry: WebhookRetryPolicy
        public var timeout: Duration
        public var lease: TimeInterval
        public var pollInterval: Duration
        public var batchSize: Int

        public init(policy: WebhookAddressPolicy, retry: WebhookRetryPolicy = .init(), timeout: Duration = .seconds(5),
                    lease: TimeInterval = 30, pollInterval: Duration = .milliseconds(200), batchSize: Int = 16)
        {
            (self.policy, self.retry, self.timeout, self.lease) = (policy, retry, timeout, lease)
            (self.pollInterval, self.batchSize) = (pollInterval, batchSize)
        }
    }

    /// Headers every delivery carries beside the webhook's own.
    public static let idempotencyHeader = "Idempotency-Key"
    public static let signatureHeader = "X-Sconto-Signature"

    private let store: any Store
    private let transport: any WebhookTransport
    private let configuration: Configuration
    private let logger: Logger
    private let holder = UUID().uuidString

    public init(store: any Store, transport: any WebhookTransport, configuration: Configuration,
                logger: Logger = Logger(label: "sconto.webhooks"))
    {
        (self.store, self.transport, self.configuration, self.logger) = (store, transport, configuration, logger)
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if try await !self.sendDue() { try await Task.sleep(for: self.configuration.pollInterval) }
            }
        }
    }

    /// Sends one claimed batch; false when nothing was due.
    func sendDue() async throws -> Bool {
        let now = Date()
        let claimed: [WebhookDelivery]
        do {
            guard try await store.hasDueWebhookDelivery(now: now) else { return false }
            claimed = try await store.claimWebhookDeliveries(
                holder: holder, now: now, until: now.addingTimeInterval(configuration.lease),
                limit: configuration.batchSize
            )
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.error("could not claim webhook deliveries: \(error)")
            return false
        }
        await withTaskGroup(of: Void.self) { group in
            for delivery in claimed { group.addTask { await self.attempt(delivery) } }
        }
        return !claimed.isEmpty
    }

    private func attempt(_ delivery: WebhookDelivery) async {
        let started = Date()
        let clock = ContinuousClock.now
        var outcome = WebhookAttempt.Outcome.failed
        var status: Int?
        var excerpt = ""
        if let refusal = configuration.policy.refusal(for: delivery.request.url) {
            (outcome, excerpt) = (.refused, "refused: \(refusal)")
        } else {
            do {
                let response = try await transport.send(delivery.request, extraHeaders: [
                    (Self.idempotencyHeader, delivery.key),
                    (Self.signatureHeader, "sha256=" + Secret.signature(of: delivery.request.body, secret: delivery.secret)),
                ], timeout: configuration.timeout)
                status = response.status
                excerpt = String(response.body.prefix(256))
                outcome = switch response.status {
                case 200..<300: .delivered
                case 408, 429, 500...: .retrying
                default: .failed
                }
            } catch {
                (outcome, excerpt) = (.retrying, String("\(error)".prefix(256)))
            }
        }
        var next: Date?
        if outcome == .retrying {
            if let delay = configuration.retry.delay(afterAttempt: delivery.attempts) {
                next = Date().addingTimeInterval(Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            } else {
                outcome = .failed
            }
        }
        let elapsed = ContinuousClock.now - clock
        let record = WebhookAttempt(
            deliveryId: delivery.id, deliveryKey: delivery.key, webhookId: delivery.webhookId,
            applicationId: delivery.applicationId, attempt: delivery.attempts, started: started, outcome: outcome,
            status: status, latencyMilliseconds: Int(elapsed.components.seconds * 1000
                + elapsed.components.attoseconds / 1_000_000_000_000_000),
            excerpt: excerpt
        )
        do {
            try await store.finishWebhookAttempt(record, holder: holder, nextAttempt: next)
        } catch {
            // The lease runs out and another claim retries it (the receiver dedupes by the idempotency id).
            logger.error("could not record a webhook attempt", metadata: ["delivery": .string(delivery.key),
                                                                          "error": .string("\(error)")])
        }
    }
}
