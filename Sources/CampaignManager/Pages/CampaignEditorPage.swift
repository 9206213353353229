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
            Layout.field("Rule title", name: "ruleTitle", value: builder.value("ruleTitle"))
            tag("fieldset", ["id": "palette-conditions"]) {
                tag("legend") { "Conditions (all chosen must hold; none: always)" }
                for entry in Palette.conditions { paletteEntry(entry, builder) }
            }
            tag("fieldset", ["id": "palette-effects"]) {
                tag("legend") { "Effects" }
                for entry in Palette.effects { paletteEntry(entry, builder) }
            }
            tag("button", ["type": "button", "id": "regenerate"]) { "Regenerate the JSON from the builder" }
        }
    }

    /// An entry's checkbox and, while it is on, its fields (the stylesheet hides the fields of entries that are off).
    private static func paletteEntry(_ entry: PaletteEntry, _ builder: RuleBuilder) -> HTML {
        tag("div", ["class": "entry", "id": "entry-\(entry.key)"]) {
            tag("label") {
                tag("input", ["type": "checkbox", "class": "toggle", "name": entry.key, "id": entry.key,
                              "checked": builder.isOn(entry) ? "" : nil])
                entry.label
            }
            if !entry.fields.isEmpty {
                tag("div", ["class": "fields grid"]) {
                    for field in entry.fields { paletteField(field, builder) }
                }
            }
        }
    }

    private static func paletteField(_ field: PaletteField, _ builder: RuleBuilder) -> HTML {
        switch field.kind {
        case .text:
            return Layout.field(field.label, name: field.name, value: builder.value(field.name), required: false,
                                hint: field.hint)
        case .choice(let options):
            return Layout.select(field.label, name: field.name, options: options.map { ($0.value, $0.label) },
                                 selected: builder.value(field.name))
        case .attribute(let entities):
            let attributes = builder.context.attributes.filter { entities.contains($0.entity) }
            let options = [("", attributes.isEmpty ? "No custom attribute yet (see Attributes)" : "Choose…")]
                + attributes.map { (Palette.optionValue($0), "\($0.title) (\($0.name), \($0.type.rawValue))") }
            return Layout.select(field.label, name: field.name, options: options, selected: builder.value(field.name))
        case .weekdays:
            let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
            return tag("fieldset", ["class": "weekdays"]) {
                tag("legend") { field.label }
                for (day, name) in names.enumerated() {
                    tag("label") {
                        tag("input", ["type": "checkbox", "name": "\(field.name)\(day)", "id": "\(field.name)\(day)",
                                      "checked": builder.values["\(field.name)\(day)"] == nil ? nil : ""])
                        name
                    }
                }
            }
        }
    }
}
