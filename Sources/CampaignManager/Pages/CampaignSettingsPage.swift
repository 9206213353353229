import Foundation
import PromotionEngine
import Storage

/// Edit a campaign: name, description, state, schedule, tags, budgets and groups. Limits the form does not show
/// are kept as they are.
enum CampaignSettingsPage {
    /// The budgets the form edits: (action, per-profile) → label.
    static let budgets: [(action: LimitAction, perProfile: Bool, field: String, label: String)] = [
        (.setDiscount, false, "discountBudget", "Discount budget (total discounts, in the currency)"),
        (.redeemCoupon, false, "redemptionBudget", "Coupon redemptions, overall"),
        (.redeemCoupon, true, "redemptionsPerCustomer", "Coupon redemptions per customer"),
    ]

    static func render(
        _ application: Application, campaign: Campaign, settings: CampaignSettings, groups: [CampaignGroup],
        user: ManagerLogin.User, issues: [ValidationIssue] = []
    ) -> HTML {
        let path = "/applications/\(application.id)/campaigns/\(campaign.id)"
        return Layout.page(title: "Edit \(campaign.settings.name)", user: user) {
            tag("p") { tag("a", ["href": path]) { "← \(campaign.settings.name)" } }
            Layout.issues(issues)
            tag("form", ["class": "card stack", "method": "post", "action": path + "/edit"]) {
                Layout.csrfField(user.csrfToken)
                Layout.field("Campaign name", name: "name", value: settings.name)
                Layout.field("Description", name: "description", value: settings.description ?? "", required: false)
                Layout.select("State", name: "state", options: [CampaignState.enabled, .disabled].map { ($0.rawValue, $0.rawValue) },
                              selected: settings.state.rawValue)
                Layout.field("Starts (UTC)", name: "startTime", value: local(settings.startTime), type: "datetime-local",
                             required: false)
                Layout.field("Ends (UTC)", name: "endTime", value: local(settings.endTime), type: "datetime-local",
                             required: false)
                Layout.field("Tags", name: "tags", value: settings.tags.joined(separator: ", "), required: false,
                             hint: "Comma-separated")
                tag("fieldset") {
                    tag("legend") { "Budgets (empty: unlimited)" }
                    for budget in budgets {
                        Layout.field(budget.label, name: budget.field, value: limit(settings, budget.action, budget.perProfile),
                                     required: false)
                    }
                }
                if !groups.isEmpty {
                    tag("fieldset") {
                        tag("legend") { "Campaign groups" }
                        for group in groups {
                            tag("label") {
                                tag("input", ["type": "checkbox", "name": "group-\(group.id)",
                                              "checked": settings.campaignGroups?.contains(group.id) == true ? "" : nil])
                                group.settings.name
                            }
                        }
                    }
                }
                tag("button", ["type": "submit"]) { "Save campaign" }
            }
        }
    }

    static func limit(_ settings: CampaignSettings, _ action: LimitAction, _ perProfile: Bool) -> String {
        settings.limits.first { $0.action == action && $0.period == nil && $0.isPerProfile == perProfile
            && ($0.entities.isEmpty || perProfile) }.map { "\($0.limit)" } ?? ""
    }

    static func local(_ date: Date?) -> String {
        guard let date else { return "" }
        return String(date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false)
            .dateTimeSeparator(.standard).timeZone(separator: .omitted)).prefix(16))
    }
}
