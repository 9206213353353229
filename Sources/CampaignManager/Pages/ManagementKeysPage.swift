import Foundation
import PromotionEngine
import Storage

/// Management API keys: create (endpoints and applications they may use), list, revoke. A new key's secret is
/// shown once.
enum ManagementKeysPage {
    struct Draft {
        var name = ""
        var days = "30"
        var endpoints = "GET /v1/applications/:applicationId/campaigns"
        var applicationIds: Set<Int64> = []
    }

    static func render(
        keys: [ManagementKey], applications: [Application], user: ManagerLogin.User, draft: Draft = Draft(),
        newSecret: String? = nil, issues: [ValidationIssue] = []
    ) -> HTML {
        Layout.page(title: "Management API keys", user: user) {
            tag("section", ["class": "card"]) {
                tag("h2") { "Keys" }
                if let newSecret {
                    tag("div", ["class": "notice", "role": "status"]) {
                        tag("p") { "Your new key. It is shown only now: copy it." }
                        tag("code", ["class": "secret", "id": "new-management-key"]) { newSecret }
                        tag("button", ["type": "button", "data-copy": "new-management-key"]) { "Copy key" }
                    }
                }
                if keys.isEmpty {
                    tag("p") { "No management key." }
                } else {
                    Layout.table(id: "management-keys", headers: ["Name", "Endpoints", "Applications", "Expires", ""],
                                 rows: keys.map { row($0, user: user) })
                }
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Create a management key" }
                Layout.issues(issues)
                tag("form", ["class": "stack", "method": "post", "action": "/management_keys"]) {
                    Layout.csrfField(user.csrfToken)
                    Layout.field("Name", name: "name", value: draft.name)
                    Layout.field("Valid for (days)", name: "days", value: draft.days, type: "number")
                    tag("div") {
                        tag("label", ["for": "endpoints"]) { "Endpoints" }
                        tag("textarea", ["id": "endpoints", "name": "endpoints", "rows": "4",
                                         "aria-describedby": "endpoints-hint"]) { draft.endpoints }
                        tag("small", ["id": "endpoints-hint"]) {
                            "One per line: a method and a path of the Management API, e.g. GET /v1/applications/:applicationId/campaigns; empty: every endpoint"
                        }
                    }
                    tag("fieldset") {
                        tag("legend") { "Applications (none ticked: all)" }
                        for application in applications {
                            tag("label") {
                                tag("input", ["type": "checkbox", "name": "application-\(application.id)",
                                              "checked": draft.applicationIds.contains(application.id) ? "" : nil])
                                application.settings.name
                            }
                        }
                    }
                    tag("button", ["type": "submit"]) { "Create management key" }
                }
            }
        }
    }

    private static func row(_ key: ManagementKey, user: ManagerLogin.User) -> [HTML] {
        [.text(key.name),
         .text(key.endpoints.map { "\($0.method ?? "any") \($0.path)" }.joined(separator: ", ")),
         .text(key.allowedApplicationIds.isEmpty ? "all" : key.allowedApplicationIds.map(String.init).joined(separator: ", ")),
         .text(key.expiryDate.formatted(date: .abbreviated, time: .omitted)),
         tag("form", ["method": "post", "action": "/management_keys/\(key.id)/revoke"]) {
             Layout.csrfField(user.csrfToken)
             tag("button", ["type": "submit", "aria-label": "Revoke \(key.name)"]) { "Revoke" }
         }]
    }
}
