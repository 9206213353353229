import PromotionEngine

/// Create a campaign: settings, the rule builder, and beside it the Talang JSON it generates (editable,
/// checked as you type by the same checker the Management API uses).
enum CampaignEditorPage {
    struct Draft {
        var name = ""
        var state = CampaignState.enabled
        var builder = RuleBuilder()
        /// The Talang JSON as the user last saw or edited it; empty means "generate from the builder".
        var rulesText = ""
    }

    static func render(
        _ application: Application, draft: Draft, user: ManagerLogin.User, issues: [ValidationIssue] = []
    ) -> HTML {
        let base = "/applications/\(application.id)/campaigns"
        return Layout.page(title: "New campaign in \(application.settings.name)", user: user) {
            tag("form", ["method": "post", "action": base, "data-preview": base + "/preview"]) {
                Layout.csrfField(user.csrfToken)
                tag("section", ["class": "card"]) {
                    tag("h2") { "Settings" }
                    tag("div", ["class": "stack"]) {
                        Layout.field("Campaign name", name: "name", value: draft.name)
                        tag("div") {
                            tag("label", ["for": "state"]) { "State" }
                            tag("select", ["id": "state", "name": "state"]) {
                                for state in [CampaignState.enabled, .disabled] {
                                    tag("option", ["value": state.rawValue, "selected": state == draft.state ? "" : nil]) {
                                        state.rawValue
                                    }
                                }
                            }
                        }
                    }
                }
                builder(draft.builder, rulesText: draft.rulesText, issues: issues)
                tag("button", ["type": "submit"]) { "Create campaign" }
            }
        }
    }

    /// The rule builder beside the Talang JSON it generates (the script wires them to `…/preview`).
    static func builder(_ builder: RuleBuilder, rulesText: String, issues: [ValidationIssue]) -> HTML {
        tag("section", ["class": "card builder"]) {
            ruleFields(builder)
            tag("div") {
                tag("label", ["for": "rules"]) { "Talang rules (JSON)" }
                tag("textarea", ["id": "rules", "name": "rules", "spellcheck": "false",
                                 "aria-describedby": "rules-hint"]) { rulesText }
                tag("small", ["id": "rules-hint"]) {
                    "Generated from the builder; edit it freely. Problems appear below, at their JSON pointer."
                }
                Layout.issues(issues, id: "rule-issues")
            }
        }
    }

    private static func ruleFields(_ builder: RuleBuilder) -> HTML {
        tag("fieldset", ["class": "rule stack"]) {
            tag("legend") { "Rule builder" }
            Layout.field("Rule title", name: "ruleTitle", value: builder.title)
            tag("fieldset") {
                tag("legend") { "Conditions (all must hold)" }
                tag("label") {
                    tag("input", ["type": "checkbox", "name": "couponValid", "id": "couponValid",
                                  "checked": builder.requiresValidCoupon ? "" : nil])
                    "A valid coupon code is given"
                }
                Layout.field("Session total greater than", name: "minimumTotal", value: builder.minimumTotal,
                             required: false, hint: "Leave empty for any total")
            }
            tag("fieldset") {
                tag("legend") { "Effect" }
                tag("label", ["for": "discount"]) { "Discount" }
                tag("select", ["id": "discount", "name": "discount"]) {
                    for kind in RuleBuilder.Discount.allCases {
                        tag("option", ["value": kind.rawValue, "selected": kind == builder.discount ? "" : nil]) { kind.label }
                    }
                }
                Layout.field("Amount (percent, or money in the application's currency)", name: "amount",
                             value: builder.amount)
            }
            tag("button", ["type": "button", "id": "regenerate"]) { "Regenerate the JSON from the builder" }
        }
    }
}
