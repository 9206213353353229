import Foundation
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `/v1/webhooks`: Talon.One's `getWebhooks`/`getWebhook`, and Sconto's create, update, delete and the log of
/// every delivery attempt (`/v1/webhooks/{id}/logs`).
struct WebhookRoutes {
    let store: any Store
    let configuration: APIConfiguration

    /// The SDK's `Webhook` (`signingSecret`, only in the answer to a create, is Sconto's: the HMAC-SHA256 key of
    /// the `X-Sconto-Signature` header, shown once).
    struct WebhookBody: Encodable, Sendable {
        var id: Int64
        var created: Date
        var modified: Date
        var applicationIds: [Int64]
        var title: String
        var description: String?
        var draft: Bool
        var verb: WebhookSettings.Verb
        var url: String
        var headers: [String]
        var payload: String?
        var params: [WebhookParameter]
        var enabled: Bool
        var authenticationId: Int64?
        var signingSecret: String?

        init(_ webhook: Webhook, secret: String? = nil) {
            let settings = webhook.settings
            (id, created, modified) = (webhook.id, webhook.created, webhook.modified)
            (applicationIds, title, description, draft) = (settings.applicationIds, settings.title, settings.description, settings.draft)
            (verb, url, headers, payload) = (settings.verb, settings.url, settings.headers, settings.payload)
            (params, enabled, authenticationId, signingSecret) = (settings.params, settings.enabled, settings.authenticationId, secret)
        }
    }

    /// One delivery attempt, as `GET /v1/webhooks/{id}/logs` lists them (newest first).
    struct AttemptBody: Encodable, Sendable {
        var id: Int64
        var deliveryId: String
        var webhookId: Int64
        var applicationId: Int64
        var attempt: Int
        var created: Date
        var outcome: WebhookAttempt.Outcome
        var status: Int?
        var latencyMs: Int
        var response: String

        init(_ attempt: WebhookAttempt) {
            (id, deliveryId, webhookId, applicationId) = (attempt.id, attempt.deliveryKey, attempt.webhookId, attempt.applicationId)
            (self.attempt, created, outcome, status) = (attempt.attempt, attempt.started, attempt.outcome, attempt.status)
            (latencyMs, response) = (attempt.latencyMilliseconds, attempt.excerpt)
        }
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/webhooks") { request, context in
            let settings = try await decode(request)
            let secret = Secret.generate()
            let webhook = try await store.createWebhook(accountId: context.managementCaller().accountId, settings: settings,
                                                        secret: secret, now: Date().storagePrecision)
            return try WireCoding.response(WebhookBody(webhook, secret: secret), status: .created)
        }
        routes.on(.get, "/v1/webhooks") { request, context in
            let query = request.uri.queryParameters
            var applicationId: Int64?
            if let text = query.get("applicationIds"), !text.isEmpty {
                guard let id = Int64(text) else { throw APIError.badParameter("applicationIds", "must be an integer") }
                applicationId = id
            }
            let page = try await store.webhooks(accountId: context.managementCaller().accountId, applicationId: applicationId,
                                                title: query.get("title"), page: request.pageRequest())
            return try WireCoding.response(Listing(totalResultSize: page.totalCount, data: page.items.map { WebhookBody($0) }))
        }
        routes.on(.get, "/v1/webhooks/:webhookId") { _, context in
            let webhook = try await store.webhook(id: context.id("webhookId"), accountId: context.managementCaller().accountId)
            return try WireCoding.response(WebhookBody(webhook))
        }
        routes.on(.put, "/v1/webhooks/:webhookId") { request, context in
            let settings = try await decode(request)
            let webhook = try await store.updateWebhook(id: context.id("webhookId"), accountId: context.managementCaller().accountId,
                                                        settings: settings, now: Date().storagePrecision)
            return try WireCoding.response(WebhookBody(webhook))
        }
        routes.on(.delete, "/v1/webhooks/:webhookId") { _, context in
            try await store.deleteWebhook(id: context.id("webhookId"), accountId: context.managementCaller().accountId)
            return Response(status: .noContent)
        }
        routes.on(.get, "/v1/webhooks/:webhookId/logs") { request, context in
            let page = try await store.webhookAttempts(webhookId: context.id("webhookId"),
                                                       accountId: context.managementCaller().accountId,
                                                       page: request.pageRequest())
            return try WireCoding.response(Listing(totalResultSize: page.totalCount, data: page.items.map(AttemptBody.init)))
        }
    }

    /// A `NewWebhook`, checked; its URL must not lead to an address the SSRF guard refuses.
    private func decode(_ request: Request) async throws -> WebhookSettings {
        let settings = try await request.decodeJSON(WebhookSettings.self, limit: configuration.maxBodySize)
        let issues = configuration.webhookPolicy.issues(saving: settings)
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return settings
    }
}
