import Foundation
import PromotionEngine
import Storage

/// One application: its campaigns with their state, and its Integration API keys.
enum ApplicationPage {
    /// A key just created: its secret is shown this once, with the tutorial's first request ready to paste.
    struct NewKey {
        var secret: String
        var baseURL: String
    }

    static func render(
        _ application: Application, campaigns: [Campaign], campaignPages: HTML = .empty, keys: [IntegrationKey],
        user: ManagerLogin.User, newKey: NewKey? = nil, issues: [ValidationIssue] = []
    ) -> HTML {
        let base = "/applications/\(application.id)"
        return Layout.page(title: application.settings.name, user: user) {
            Layout.applicationNav(application)
            tag("p") { "Currency \(application.settings.currency) · time zone \(application.settings.timezone)" }
            tag("section", ["class": "card"]) {
                tag("h2") { "Campaigns" }
                tag("p") { tag("a", ["href": base + "/campaigns/new"]) { "Create a campaign" } }
                if campaigns.isEmpty {
                    tag("p") { "No campaign yet." }
                } else {
                    campaignTable(campaigns, base: base)
                    campaignPages
                }
            }
            tag("section", ["class": "card", "id": "keys"]) {
                tag("h2") { "Integration API keys" }
                if let newKey { created(newKey) }
                if !keys.isEmpty {
                    tag("ul") {
                        for key in keys {
                            tag("li") { "\(key.title) · expires \(key.expires.formatted(date: .abbreviated, time: .omitted))" }
                        }
                    }
                }
                Layout.issues(issues)
                tag("form", ["class": "stack", "method": "post", "action": base + "/keys"]) {
                    Layout.csrfField(user.csrfToken)
                    Layout.field("Key title", name: "title")
                    Layout.field("Valid for (days)", name: "days", value: "365", type: "number")
                    tag("button", ["type": "submit"]) { "Create Integration API key" }
                }
            }
        }
    }

    private static func campaignTable(_ campaigns: [Campaign], base: String) -> HTML {
        tag("div", ["class": "table-wrap"]) {
            tag("table") {
                tag("thead") {
                    tag("tr") { tag("th") { "Name" }; tag("th") { "State" }; tag("th") { "Coupons redeemed" }; tag("th") { "Discounts given" } }
                }
                tag("tbody") {
                    for campaign in campaigns {
                        tag("tr") {
                            tag("td") { tag("a", ["href": "\(base)/campaigns/\(campaign.id)"]) { campaign.settings.name } }
                            tag("td") { tag("span", ["class": "state"]) { campaign.frontendState(at: Date()) } }
                            tag("td") { "\(campaign.counters.couponRedemptionCount)" }
                            tag("td") { "\(campaign.counters.discountCount)" }
                        }
                    }
                }
            }
        }
    }

    private static func created(_ key: NewKey) -> HTML {
        let curl = """
            curl -X PUT '\(key.baseURL)/v2/customer_sessions/session-1' \\
              -H 'Authorization: ApiKey-v1 \(key.secret)' \\
              -H 'Content-Type: application/json' \\
              -d '{"customerSession": {"couponCodes": ["YOUR-COUPON"], "cartItems": [{"name": "Shoes", "sku": "SKU1", "quantity": 1, "price": 100}]}}'
            """
        return tag("div", ["class": "notice", "role": "status"]) {
            tag("p") { "Your new key. It is shown only now: copy it." }
            tag("code", ["class": "secret", "id": "new-key"]) { key.secret }
            tag("button", ["type": "button", "data-copy": "new-key"]) { "Copy key" }
            tag("p") { "The tutorial's first request, with this key:" }
            tag("pre", ["id": "first-request"]) { curl }
            tag("button", ["type": "button", "data-copy": "first-request"]) { "Copy request" }
        }
    }
}
