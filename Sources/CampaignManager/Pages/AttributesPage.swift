import PromotionEngine
import Storage

/// The account's attributes: the built-in ones every entity has, the custom ones, and a form to create one.
enum AttributesPage {
    /// What the create form last held (shown again with its problems).
    struct Draft {
        var entity = AttributeEntity.customerProfile
        var type = AttributeType.string
        var name = ""
        var title = ""
        var description = ""
        var suggestions = ""
    }

    static func render(
        custom: [StoredAttribute], user: ManagerLogin.User, draft: Draft = Draft(), issues: [ValidationIssue] = [],
        created: String? = nil
    ) -> HTML {
        Layout.page(title: "Attributes", user: user) {
            tag("section", ["class": "card"]) {
                tag("h2") { "Custom attributes" }
                if let created { tag("p", ["class": "notice", "role": "status"]) { "Created the attribute \(created)." } }
                if custom.isEmpty {
                    tag("p") { "No custom attribute yet." }
                } else {
                    Layout.table(id: "custom-attributes", headers: ["Entity", "API name", "Title", "Type", "Suggestions"],
                                 rows: custom.map { row($0.definition, suggestions: true) })
                }
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Create an attribute" }
                Layout.issues(issues)
                form(draft, user: user)
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Built-in attributes" }
                Layout.table(id: "builtin-attributes", headers: ["Entity", "API name", "Title", "Type"],
                             rows: AttributeCatalog.builtIn.map { row($0, suggestions: false) })
            }
        }
    }

    private static func row(_ definition: AttributeDefinition, suggestions: Bool) -> [HTML] {
        var cells: [HTML] = [.text(definition.entity.rawValue), tag("code") { definition.name }, .text(definition.title),
                             .text(definition.type.rawValue)]
        if suggestions { cells.append(.text(definition.suggestions.joined(separator: ", "))) }
        return cells
    }

    private static func form(_ draft: Draft, user: ManagerLogin.User) -> HTML {
        tag("form", ["class": "stack", "method": "post", "action": "/attributes"]) {
            Layout.csrfField(user.csrfToken)
            Layout.select("Entity", name: "entity", options: AttributeEntity.allCases.map { ($0.rawValue, $0.rawValue) },
                          selected: draft.entity.rawValue)
            Layout.select("Type", name: "type", options: AttributeType.allCases.map { ($0.rawValue, $0.rawValue) },
                          selected: draft.type.rawValue)
            Layout.field("API name", name: "name", value: draft.name,
                         hint: "Letters, digits and _; rules and integrations use this name")
            Layout.field("Title", name: "title", value: draft.title, required: false)
            Layout.field("Description", name: "description", value: draft.description, required: false)
            Layout.field("Suggestions", name: "suggestions", value: draft.suggestions, required: false,
                         hint: "Comma-separated values offered when choosing one")
            Layout.field("Event type", name: "eventType", required: false, hint: "Only for Event attributes")
            tag("button", ["type": "submit"]) { "Create attribute" }
        }
    }
}
