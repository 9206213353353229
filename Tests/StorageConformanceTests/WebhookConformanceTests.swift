import Foundation
import PromotionEngine
import Storage
import Testing

/// The webhook outbox: deliveries written by the session commit (and only by one that succeeds), claimed by one
/// node at a time under a lease, taken over when the lease runs out, finished only by their holder.
@Suite struct WebhookConformanceTests {
    static func webhook(_ shop: Shop) async throws -> Webhook {
        try await shop.store.createWebhook(
            accountId: 1, settings: WebhookSettings(title: "Order placed", url: "https://shop.example/hook"),
            secret: "s3cret", now: shop.now
        )
    }

    static func closing(_ shop: Shop, _ sessionId: String, webhook: Webhook) -> (SessionCommit, String) {
        var commit = shop.close(sessionId)
        let key = UUID().uuidString
        commit.webhookDeliveries = [WebhookDelivery(
            key: key, webhookId: webhook.id, applicationId: shop.applicationId,
            request: WebhookRequest(method: "POST", url: webhook.settings.url, headers: [["A", "b"]], body: #"{"s":"\#(sessionId)"}"#),
            created: shop.now
        )]
        return (commit, key)
    }

    @Test(arguments: Backends.all) func onlyACommittedSessionWritesItsDeliveries(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let webhook = try await Self.webhook(shop)
        #expect(try await shop.store.webhooks(applicationId: shop.applicationId)[webhook.id]?.settings.title == "Order placed")
        let (commit, key) = Self.closing(shop, "s1", webhook: webhook)
        _ = try await shop.store.commitSession(commit)
        let stored = try #require(try await shop.store.webhookDelivery(key: key))
        #expect(stored.state == .pending && stored.request == commit.webhookDeliveries[0].request && stored.attempts == 0)

        // The same session created again fails (it exists): its delivery is not written.
        let (again, lostKey) = Self.closing(shop, "s1", webhook: webhook)
        await #expect(throws: StoreError.sessionChanged) { _ = try await shop.store.commitSession(again) }
        #expect(try await shop.store.webhookDelivery(key: lostKey) == nil)
    }

    @Test(arguments: Backends.all) func twoNodesClaimingAtOnceSendEachDeliveryOnce(_ backend: any StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let shop = try await Shop.open(try await database.open())
        let other = try await database.open()
        let webhook = try await Self.webhook(shop)
        var keys = Set<String>()
        for index in 0..<30 {
            let (commit, key) = Self.closing(shop, "s\(index)", webhook: webhook)
            _ = try await shop.store.commitSession(commit)
            keys.insert(key)
        }
        let now = Date().addingTimeInterval(1)
        let claims = try await withThrowingTaskGroup(of: [WebhookDelivery].self) { group in
            for (node, store) in [("a", shop.store), ("b", other)] {
                group.addTask {
                    var taken: [WebhookDelivery] = []
                    while true {
                        let batch = try await store.claimWebhookDeliveries(holder: node, now: now,
                                                                           until: now.addingTimeInterval(60), limit: 4)
                        if batch.isEmpty { return taken }
                        taken += batch
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claims.count == 30)
        #expect(Set(claims.map(\.key)) == keys)
        #expect(claims.allSatisfy { $0.attempts == 1 && $0.secret == "s3cret" })
        #expect(try await !other.hasDueWebhookDelivery(now: now))
    }

    @Test(arguments: Backends.all) func anExpiredLeaseIsTakenOverAndOnlyTheHolderFinishes(_ backend: any StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let shop = try await Shop.open(try await database.open())
        let other = try await database.open()
        let webhook = try await Self.webhook(shop)
        let (commit, key) = Self.closing(shop, "s1", webhook: webhook)
        _ = try await shop.store.commitSession(commit)
        let now = Date().storagePrecision.addingTimeInterval(1)

        let first = try await shop.store.claimWebhookDeliveries(holder: "a", now: now, until: now.addingTimeInterval(5), limit: 10)
        #expect(first.map(\.key) == [key])
        #expect(try await other.claimWebhookDeliveries(holder: "b", now: now, until: now.addingTimeInterval(5), limit: 10).isEmpty)
        // Node a was killed: once its lease ran out, b takes the row over (a second attempt).
        let later = now.addingTimeInterval(6)
        let second = try await other.claimWebhookDeliveries(holder: "b", now: later, until: later.addingTimeInterval(5), limit: 10)
        #expect(second.map(\.key) == [key] && second.first?.attempts == 2)

        func attempt(_ number: Int, _ outcome: WebhookAttempt.Outcome) -> WebhookAttempt {
            WebhookAttempt(deliveryId: first[0].id, deliveryKey: key, webhookId: webhook.id, applicationId: shop.applicationId,
                           attempt: number, started: later, outcome: outcome, status: 200, latencyMilliseconds: 3, excerpt: "ok")
        }
        // a's late report is logged but moves nothing; b's retry makes the row due again, then its delivery ends it.
        try await shop.store.finishWebhookAttempt(attempt(1, .delivered), holder: "a", nextAttempt: nil)
        #expect(try await shop.store.webhookDelivery(key: key)?.state == .pending)
        try await other.finishWebhookAttempt(attempt(2, .retrying), holder: "b", nextAttempt: later.addingTimeInterval(1))
        #expect(try await !other.hasDueWebhookDelivery(now: later))
        let retry = later.addingTimeInterval(2)
        #expect(try await other.hasDueWebhookDelivery(now: retry))
        let third = try await other.claimWebhookDeliveries(holder: "b", now: retry, until: retry.addingTimeInterval(5), limit: 10)
        #expect(third.first?.attempts == 3)
        try await other.finishWebhookAttempt(attempt(3, .delivered), holder: "b", nextAttempt: nil)
        #expect(try await shop.store.webhookDelivery(key: key)?.state == .delivered)
        #expect(try await !shop.store.hasDueWebhookDelivery(now: retry.addingTimeInterval(3600)))
        let log = try await shop.store.webhookAttempts(webhookId: webhook.id, accountId: 1, page: PageRequest())
        #expect(log.totalCount == 3 && log.items.map(\.attempt) == [3, 2, 1])

        try await shop.store.deleteWebhook(id: webhook.id, accountId: 1)
        #expect(try await shop.store.webhookDelivery(key: key) == nil)
        await #expect(throws: StoreError.self) { _ = try await other.webhook(id: webhook.id, accountId: 1) }
    }
}
