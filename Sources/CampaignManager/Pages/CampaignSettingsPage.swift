import Foundation
import PromotionEngine
import Storage

/// Edit a campaign: name, description, state, schedule, tags, budgets and groups. Limits the form does not show
/// are kept as they are.
enum CampaignSettingsPage {
    /// A budget the form edits: a limit on an action, overall or per customer, for the campaign's life or per period.
    struct Budget {
        var action: LimitAction
        var perProfile = false
        var period: BudgetPeriod?
        var field: String
        var label: String

        func matches(_ limit: LimitConfig) -> Bool {
            limit.action == action && limit.period == period && limit.isPerProfile == perProfile
                && (limit.entities.isEmpty || perProfile)
        }
    }

    static let budgets = [
        Budget(action: .setDiscount, field: "discountBudget", label: "Discount budget (total discounts, in the currency)"),
        Budget(action: .redeemCoupon, field: "redemptionBudget", label: "Coupon redemptions, overall"),
        Budget(action: .redeemCoupon, perProfile: true, field: "redemptionsPerCustomer", label: "Coupon redemptions per customer"),
    ]

    /// Budgets that start again each day, week, month or year (in the application's time zone).
    static let periodBudgets = BudgetPeriod.allCases.flatMap { period in [
        Budget(action: .setDiscount, period: period, field: "discountBudget-\(period.rawValue)",
               label: "Discounts per \(period.noun)"),
        Budget(action: .redeemCoupon, period: period, field: "redemptionBudget-\(period.rawValue)",
               label: "Coupon redemptions per \(period.noun)"),
    ] }

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
                    for budget in budgets { budgetField(budget, settings) }
                }
                tag("fieldset", ["class": "grid", "id": "period-budgets"]) {
                    tag("legend") { "Budgets per period (empty: unlimited)" }
                    for budget in periodBudgets { budgetField(budget, settings) }
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

    private static func budgetField(_ budget: Budget, _ settings: CampaignSettings) -> HTML {
        Layout.field(budget.label, name: budget.field, value: settings.limits.first(where: budget.matches).map { "\($0.limit)" } ?? "",
                     required: false)
    }

    static func local(_ date: Date?) -> String {
        guard let date else { return "" }
        return String(date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false)
            .dateTimeSeparator(.standard).timeZone(separator: .omitted)).prefix(16))
    }
}

extension BudgetPeriod {
    /// `day`, `week`, `month`, `year`.
    var noun: String {
        switch self {
        case .daily: "day"
        case .weekly: "week"
        case .monthly: "month"
        case .yearly: "year"
        }
    }
}
