import Foundation
import PromotionEngine

/// `/loyalty`: the account's loyalty programs and a form to create one (the fields `NewLoyaltyProgram` needs).
enum LoyaltyProgramsPage {
    static func list(
        _ programs: [LoyaltyProgram], applications: [Application], user: ManagerLogin.User,
        draft: FormData = FormData(encoded: ""), issues: [ValidationIssue] = []
    ) -> HTML {
        let applicationNames = Dictionary(applications.map { ($0.id, $0.settings.name) }, uniquingKeysWith: { a, _ in a })
        return Layout.page(title: "Loyalty programs", user: user) {
            tag("section", ["class": "card"]) {
                if programs.isEmpty {
                    tag("p") { "No loyalty program yet." }
                } else {
                    Layout.table(id: "loyalty-programs",
                                 headers: ["Id", "Name", "Title", "Kind", "Applications", "Validity", "Pending", "Tiers"],
                                 rows: programs.map { program in
                        let settings = program.settings
                        return [.text(String(program.id)), tag("code") { settings.name }, .text(settings.title),
                                .text(settings.cardBased ? "card based" : "profile based"),
                                .text(settings.subscribedApplications.map { applicationNames[$0] ?? "#\($0)" }
                                    .joined(separator: ", ")),
                                .text(settings.defaultValidity), .text(settings.defaultPending),
                                .text(program.tiers.map { "\($0.name) (\($0.minPoints))" }.joined(separator: ", "))]
                    })
                }
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Create a loyalty program" }
                Layout.issues(issues)
                tag("form", ["class": "stack", "method": "post", "action": "/loyalty"]) {
                    Layout.csrfField(user.csrfToken)
                    Layout.field("Name", name: "name", value: draft.text("name"), hint: "Set once, never changed")
                    Layout.field("Title", name: "title", value: draft.text("title"))
                    Layout.field("Description", name: "description", value: draft.text("description"), required: false)
                    Layout.field("Default validity", name: "defaultValidity",
                                 value: draft.text("defaultValidity").isEmpty ? "unlimited" : draft.text("defaultValidity"),
                                 hint: "unlimited, or a duration such as 30D or 1M_U")
                    Layout.field("Default pending", name: "defaultPending",
                                 value: draft.text("defaultPending").isEmpty ? "immediate" : draft.text("defaultPending"),
                                 hint: "immediate, on_action, or a duration such as 2D")
                    Layout.field("Time zone", name: "timezone",
                                 value: draft.text("timezone").isEmpty ? "UTC" : draft.text("timezone"))
                    tag("label") {
                        tag("input", ["type": "checkbox", "name": "cardBased",
                                      "checked": draft.isChecked("cardBased") ? "" : nil])
                        "Card based (points on loyalty cards, not on profiles)"
                    }
                    Layout.applicationChoices(applications, legend: "Subscribed applications", draft: draft)
                    tag("button", ["type": "submit"]) { "Create loyalty program" }
                }
            }
        }
    }
}
