import Foundation
import PromotionEngine
import Storage

/// Turns an evaluation's `triggerWebhook` effects into outbox rows: each rendered now (the webhook as this
/// lineup knows it, the rule's arguments) and given its idempotency id, so a delivery never depends on a later
/// change of its webhook.
enum WebhookOutbox {
    static func deliveries(_ effects: [Effect], webhooks: [Int64: Webhook], applicationId: Int64, now: Date)
        -> [WebhookDelivery]
    {
        effects.compactMap { effect in
            guard case .triggerWebhook(let trigger) = effect.kind, let webhook = webhooks[trigger.webhookId] else {
                return nil
            }
            return WebhookDelivery(key: UUID().uuidString.lowercased(), webhookId: webhook.id, applicationId: applicationId,
                                   request: webhook.request(arguments: trigger.arguments), created: now)
        }
    }
}

/// When a failed delivery is tried again: from `base`, doubling per attempt, capped, ± 20 % jitter so that a
/// receiver coming back is not hit by every retry at once.
public struct WebhookRetryPolicy: Sendable {
    public var base: Duration
    public var cap: Duration
    /// Attempts in all, the first included.
    public var maximumAttempts: Int

    public init(base: Duration = .seconds(1), cap: Duration = .seconds(300), maximumAttempts: Int = 6) {
        (self.base, self.cap, self.maximumAttempts) = (base, cap, maximumAttempts)
    }

    /// The wait after failed attempt number `attempt` (1-based), nil when no attempt is left.
    public func delay(afterAttempt attempt: Int) -> Duration? {
        guard attempt < maximumAttempts else { return nil }
        let doubled = base * (1 << min(attempt - 1, 20))
        let capped = min(doubled, cap)
        return capped * Double.random(in: 0.8...1.2)
    }
}
