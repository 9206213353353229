import Foundation
import PromotionEngine
import Storage

/// `/webhooks`: the account's webhooks, a form to create one (its signing secret shown once after), and one
/// webhook's delivery attempts.
enum WebhooksPage {
    static func list(
        _ webhooks: [Webhook], paging: Paging, hasMore: Bool, applications: [Application], user: ManagerLogin.User,
        created: (id: Int64, secret: String)? = nil, draft: FormData = FormData(encoded: ""), issues: [ValidationIssue] = []
    ) -> HTML {
        Layout.page(title: "Webhooks", user: user) {
            if let created {
                tag("section", ["class": "card", "id": "webhook-secret"]) {
                    tag("p", ["role": "status"]) { "Webhook \(created.id) created. Its signing secret, shown only now:" }
                    tag("code") { created.secret }
                }
            }
            tag("section", ["class": "card"]) {
                if webhooks.isEmpty && paging.number == 0 {
                    tag("p") { "No webhook yet." }
                } else {
                    Layout.table(id: "webhooks", headers: ["Id", "Title", "Verb", "URL", "Enabled"], rows: webhooks.map { webhook in
                        [.text(String(webhook.id)), tag("a", ["href": "/webhooks/\(webhook.id)"]) { webhook.settings.title },
                         .text(webhook.settings.verb.rawValue), tag("code") { webhook.settings.url },
                         .text(webhook.settings.enabled ? "yes" : "no")]
                    })
                    paging.links(hasMore: hasMore)
                }
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Create a webhook" }
                Layout.issues(issues)
                tag("form", ["class": "stack", "method": "post", "action": "/webhooks"]) {
                    Layout.csrfField(user.csrfToken)
                    Layout.field("Title", name: "title", value: draft.text("title"), hint: "Rules call it by its id")
                    Layout.select("Verb", name: "verb", options: WebhookSettings.Verb.allCases.map { ($0.rawValue, $0.rawValue) },
                                  selected: draft.text("verb").isEmpty ? "POST" : draft.text("verb"))
                    Layout.field("URL", name: "url", value: draft.text("url"), type: "url",
                                 hint: "May use ${parameter} placeholders")
                    textArea("Headers", name: "headers", value: draft.text("headers"), hint: "One \"Name: value\" per line")
                    textArea("Payload", name: "payload", value: draft.text("payload"), hint: "A template; ${parameter} is replaced")
                    textArea("Parameters", name: "params", value: draft.text("params"),
                             hint: "One per line: name, type (\(WebhookParameter.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
                    tag("label") {
                        tag("input", ["type": "checkbox", "name": "enabled",
                                      "checked": draft.isChecked("enabled") || draft.text("title").isEmpty ? "" : nil])
                        "Enabled"
                    }
                    Layout.applicationChoices(applications, legend: "Applications (none: all)", draft: draft)
                    tag("button", ["type": "submit"]) { "Create webhook" }
                }
            }
        }
    }

    static func attempts(
        _ webhook: Webhook, attempts: [WebhookAttempt], paging: Paging, hasMore: Bool, user: ManagerLogin.User
    ) -> HTML {
        Layout.page(title: "Webhook \(webhook.settings.title)", user: user) {
            tag("nav", ["class": "subnav"]) { tag("a", ["href": "/webhooks"]) { "← Webhooks" } }
            tag("section", ["class": "card"]) {
                tag("p") { tag("code") { "\(webhook.settings.verb.rawValue) \(webhook.settings.url)" } }
                tag("h2") { "Delivery attempts" }
                if attempts.isEmpty && paging.number == 0 {
                    tag("p") { "No attempt yet: rules trigger it with triggerWebhook." }
                } else {
                    Layout.table(id: "webhook-attempts",
                                 headers: ["Started", "Delivery", "Attempt", "Outcome", "Status", "Latency", "Response"],
                                 rows: attempts.map { attempt in
                        [.text(attempt.started.formatted(.iso8601)), tag("code") { attempt.deliveryKey },
                         .text(String(attempt.attempt)), .text(attempt.outcome.rawValue),
                         .text(attempt.status.map(String.init) ?? ""), .text("\(attempt.latencyMilliseconds) ms"),
                         tag("code") { String(attempt.excerpt.prefix(200)) }]
                    })
                    paging.links(hasMore: hasMore)
                }
            }
        }
    }

    private static func textArea(_ label: String, name: String, value: String, hint: String) -> HTML {
        tag("div") {
            tag("label", ["for": name]) { label }
            tag("textarea", ["id": name, "name": name, "rows": "3", "aria-describedby": name + "-hint"]) { value }
            tag("small", ["id": name + "-hint"]) { hint }
        }
    }
}
