import PromotionEngine

enum ApplicationsPage {
    static func render(
        _ applications: [Application], paging: HTML = .empty, user: ManagerLogin.User, issues: [ValidationIssue] = [],
        draft: ApplicationSettings? = nil
    ) -> HTML {
        Layout.page(title: "Applications", user: user) {
            tag("section", ["class": "card"]) {
                tag("h2") { "Your applications" }
                if applications.isEmpty {
                    tag("p") { "No application yet: create the first one below." }
                } else {
                    tag("div", ["class": "table-wrap"]) {
                        tag("table") {
                            tag("thead") { tag("tr") { tag("th") { "Name" }; tag("th") { "Currency" }; tag("th") { "Time zone" } } }
                            tag("tbody") {
                                for application in applications {
                                    tag("tr") {
                                        tag("td") { tag("a", ["href": "/applications/\(application.id)"]) { application.settings.name } }
                                        tag("td") { application.settings.currency }
                                        tag("td") { application.settings.timezone }
                                    }
                                }
                            }
                        }
                    }
                    paging
                }
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Create an application" }
                Layout.issues(issues)
                tag("form", ["class": "stack", "method": "post", "action": "/applications"]) {
                    Layout.csrfField(user.csrfToken)
                    Layout.field("Name", name: "name", value: draft?.name ?? "")
                    Layout.field("Currency", name: "currency", value: draft?.currency ?? "EUR",
                                 hint: "ISO 4217 code, e.g. EUR or USD")
                    Layout.field("Time zone", name: "timezone", value: draft?.timezone ?? "UTC",
                                 hint: "IANA name, e.g. Europe/Berlin")
                    tag("button", ["type": "submit"]) { "Create application" }
                }
            }
        }
    }
}
