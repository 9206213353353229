import Foundation
import PromotionEngine
import Services

/// One campaign: its state and counters, the active Talang rules, and its coupons.
enum CampaignPage {
    static func render(
        _ application: Application, campaign: Campaign, rules: [RuleDefinition], versions: [Ruleset], coupons: [Coupon],
        couponCount: Int, user: ManagerLogin.User, notice: String? = nil, batch: CouponJobs.Progress? = nil,
        issues: [ValidationIssue] = []
    ) -> HTML {
        let path = "/applications/\(application.id)/campaigns/\(campaign.id)"
        return Layout.page(title: campaign.settings.name, user: user) {
            tag("p") {
                tag("a", ["href": "/applications/\(application.id)"]) { "← \(application.settings.name)" }
            }
            tag("nav", ["class": "subnav", "aria-label": "Campaign"]) {
                tag("a", ["href": path + "/edit"]) { "Edit" }
                tag("a", ["href": path + "/rules"]) { "New rule version" }
                tag("a", ["href": path + "/try"]) { "Try it" }
                tag("a", ["href": path + "/simulate"]) { "Simulate" }
                tag("a", ["href": path + "/coupons"]) { "Search and edit coupons" }
                tag("a", ["href": path + "/analytics"]) { "Analytics" }
                tag("a", ["href": path + "/collections"]) { "Collections" }
            }
            tag("section", ["class": "card"]) {
                tag("p") {
                    "State: "
                    tag("span", ["class": "state", "id": "campaign-state"]) { campaign.frontendState(at: Date()) }
                    " · coupons redeemed \(campaign.counters.couponRedemptionCount)"
                    " · discounts given \(campaign.counters.discountCount) \(application.settings.currency)"
                }
                tag("p", ["id": "campaign-schedule"]) {
                    "Runs from \(campaign.settings.startTime.map(CustomersPage.time) ?? "now")"
                    " until \(campaign.settings.endTime.map(CustomersPage.time) ?? "stopped")"
                    if !campaign.settings.tags.isEmpty { " · tags: \(campaign.settings.tags.joined(separator: ", "))" }
                }
                tag("h2") { "Active rules" }
                tag("pre", ["id": "active-rules"]) { RulesText.encode(rules) }
            }
            RulesetVersionsPage.list(versions, campaign: campaign, path: path, user: user)
            tag("section", ["class": "card", "id": "coupons"]) {
                tag("h2") { "Coupons (\(couponCount))" }
                if let notice { tag("p", ["class": "notice", "role": "status"]) { notice } }
                if let batch { progress(batch, path: path) }
                Layout.issues(issues)
                tag("form", ["class": "stack", "method": "post", "action": path + "/coupons"]) {
                    Layout.csrfField(user.csrfToken)
                    Layout.field("Number of coupons", name: "count", value: "10", type: "number",
                                 hint: "At most \(CouponBatch.maximum) at once")
                    Layout.field("Prefix", name: "prefix", required: false, hint: "Optional, e.g. XMAS-")
                    tag("button", ["type": "submit"]) { "Generate coupons" }
                }
                if !coupons.isEmpty {
                    tag("ul", ["id": "coupon-list"]) {
                        for coupon in coupons { tag("li") { tag("code") { coupon.value } } }
                    }
                }
            }
        }
    }

    /// A running batch: the script polls its progress and reloads the page when it is done.
    private static func progress(_ batch: CouponJobs.Progress, path: String) -> HTML {
        tag("div", ["id": "batch", "data-progress": "\(path)/coupon_batches/\(batch.batchId)",
                    "data-done": "\(path)?generated=", "data-failure": batch.failure]) {
            tag("label", ["for": "batch-progress"]) { "Generating coupons" }
            tag("progress", ["id": "batch-progress", "max": "\(batch.requested)", "value": "\(batch.created)"]) {
                "\(batch.created) of \(batch.requested)"
            }
            tag("p", ["id": "batch-status", "role": "status"]) { "\(batch.created) of \(batch.requested) created" }
        }
    }
}
