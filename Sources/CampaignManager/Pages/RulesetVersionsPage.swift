import Foundation
import PromotionEngine

/// Ruleset versions: a new version from the builder or edited JSON (saved as a draft or activated), and the diff
/// between two versions.
enum RulesetVersionsPage {
    static func newVersion(
        _ application: Application, campaign: Campaign, rulesText: String, user: ManagerLogin.User,
        issues: [ValidationIssue] = []
    ) -> HTML {
        let base = "/applications/\(application.id)/campaigns"
        let path = "\(base)/\(campaign.id)"
        return Layout.page(title: "New rules for \(campaign.settings.name)", user: user) {
            tag("p") { tag("a", ["href": path]) { "← \(campaign.settings.name)" } }
            tag("form", ["method": "post", "action": path + "/rulesets", "data-preview": base + "/preview"]) {
                Layout.csrfField(user.csrfToken)
                CampaignEditorPage.builder(RuleBuilder(), rulesText: rulesText, issues: issues)
                tag("label") {
                    tag("input", ["type": "checkbox", "name": "activate", "id": "activate"])
                    "Activate this version now (otherwise it is a draft: Try it runs it, the Integration API does not)"
                }
                tag("button", ["type": "submit"]) { "Save version" }
            }
        }
    }

    /// The versions of a campaign's rules, newest first: activate one, or compare two.
    static func list(_ versions: [Ruleset], campaign: Campaign, path: String, user: ManagerLogin.User) -> HTML {
        tag("section", ["class": "card", "id": "versions"]) {
            tag("h2") { "Rule versions" }
            tag("p") { tag("a", ["href": path + "/rules"]) { "Write a new version" } }
            Layout.table(id: "ruleset-versions", headers: ["Version", "Saved", "Rules", ""], rows: versions.map { version in
                [.text("\(version.id)"), .text(CustomersPage.time(version.created)), .text("\(version.rules.count)"),
                 version.id == campaign.activeRulesetId
                    ? tag("span", ["class": "state"]) { "active" }
                    : tag("form", ["method": "post", "action": "\(path)/rulesets/\(version.id)/activate"]) {
                        Layout.csrfField(user.csrfToken)
                        tag("button", ["type": "submit", "aria-label": "Activate version \(version.id)"]) { "Activate" }
                    }]
            })
            if versions.count > 1 {
                tag("form", ["class": "grid", "method": "get", "action": path + "/rulesets/diff"]) {
                    let ids = versions.map { ("\($0.id)", "version \($0.id)") }
                    Layout.select("Compare", name: "from", options: ids, selected: ids[1].0)
                    Layout.select("with", name: "to", options: ids, selected: ids[0].0)
                    tag("button", ["type": "submit"]) { "Compare versions" }
                }
            }
        }
    }

    static func diff(
        _ application: Application, campaign: Campaign, from: Ruleset, to: Ruleset, user: ManagerLogin.User
    ) -> HTML {
        let path = "/applications/\(application.id)/campaigns/\(campaign.id)"
        let lines = RulesetDiff.lines(from: RulesText.encode(from.rules), to: RulesText.encode(to.rules))
        return Layout.page(title: "Version \(from.id) → \(to.id)", user: user) {
            tag("p") { tag("a", ["href": path + "#versions"]) { "← \(campaign.settings.name)" } }
            tag("pre", ["class": "diff", "id": "ruleset-diff"]) {
                for line in lines {
                    switch line {
                    case .same(let text): tag("span") { "  \(text)" }
                    case .removed(let text): tag("del") { "- \(text)" }
                    case .added(let text): tag("ins") { "+ \(text)" }
                    }
                }
            }
        }
    }
}
