import Foundation
import PromotionEngine
import Services

/// Simulate: the application's last closed sessions replayed against the draft ruleset and the active one,
/// next to what the campaign actually gave in them.
enum SimulatePage {
    struct Results {
        var given: CampaignSimulation.Outcome
        var active: CampaignSimulation.Outcome
        var draft: CampaignSimulation.Outcome
    }

    static let maximumSessions = 500

    static func render(
        _ application: Application, campaign: Campaign, draftRulesetId: Int64?, count: Int, results: Results?,
        user: ManagerLogin.User
    ) -> HTML {
        let path = "/applications/\(application.id)/campaigns/\(campaign.id)"
        let currency = application.settings.currency
        return Layout.page(title: "Simulate \(campaign.settings.name)", user: user) {
            tag("p") { tag("a", ["href": path]) { "← \(campaign.settings.name)" } }
            tag("p") {
                "Replays the application's last closed sessions (cart, coupons, customer, attributes) as dry evaluations, "
                "now, against the campaign's draft ruleset and its active one. Nothing is stored. Coupons those sessions "
                "used up count as used, so coupon rules may give less than they did."
            }
            tag("form", ["class": "card search", "method": "get", "action": path + "/simulate"]) {
                Layout.field("Closed sessions to replay", name: "sessions", value: "\(count)", type: "number",
                             hint: "1 to \(maximumSessions)")
                tag("input", ["type": "hidden", "name": "run", "value": "1"])
                tag("button", ["type": "submit"]) { "Simulate" }
            }
            if let results {
                Layout.table(id: "simulation", headers: ["", "Sessions", "Sessions with a discount", "Discounts given"], rows: [
                    row("Actually given", results.given, currency),
                    row("Active version (\(campaign.activeRulesetId.map(String.init) ?? "none"))", results.active, currency),
                    row("Draft version (\(draftRulesetId.map(String.init) ?? "none"))", results.draft, currency),
                ])
            }
        }
    }

    private static func row(_ label: String, _ outcome: CampaignSimulation.Outcome, _ currency: String) -> [HTML] {
        [.text(label), .text("\(outcome.sessions)"), .text("\(outcome.affected)"), .text("\(outcome.discounts) \(currency)")]
    }
}
