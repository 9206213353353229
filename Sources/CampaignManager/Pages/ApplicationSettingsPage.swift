import PromotionEngine

/// An application's settings: name, currency, time zone, coupon code case sensitivity, cascading discounts.
enum ApplicationSettingsPage {
    static func render(
        _ application: Application, settings: ApplicationSettings, user: ManagerLogin.User, saved: Bool = false,
        issues: [ValidationIssue] = []
    ) -> HTML {
        Layout.page(title: "Settings of \(application.settings.name)", user: user) {
            Layout.applicationNav(application)
            tag("section", ["class": "card"]) {
                if saved { tag("p", ["class": "notice", "role": "status"]) { "Saved." } }
                Layout.issues(issues)
                tag("form", ["class": "stack", "method": "post", "action": "/applications/\(application.id)/settings"]) {
                    Layout.csrfField(user.csrfToken)
                    Layout.field("Name", name: "name", value: settings.name)
                    Layout.field("Currency", name: "currency", value: settings.currency, hint: "ISO 4217 code, e.g. EUR")
                    Layout.field("Time zone", name: "timezone", value: settings.timezone, hint: "IANA name, e.g. Europe/Berlin")
                    Layout.select("Coupon codes", name: "caseSensitivity", options: [
                        (CaseSensitivity.sensitive.rawValue, "case-sensitive"),
                        (CaseSensitivity.insensitiveUppercase.rawValue, "case-insensitive, stored uppercase"),
                        (CaseSensitivity.insensitiveLowercase.rawValue, "case-insensitive, stored lowercase"),
                    ], selected: (settings.caseSensitivity ?? .sensitive).rawValue)
                    tag("label") {
                        tag("input", ["type": "checkbox", "name": "cascading", "id": "cascading",
                                      "checked": settings.enableCascadingDiscounts == true ? "" : nil])
                        "Cascading discounts (each discount applies to the price left by the ones before)"
                    }
                    tag("button", ["type": "submit"]) { "Save settings" }
                }
            }
        }
    }
}
