import PromotionEngine

/// The frame of every page: head with the fingerprinted assets, a skip link, the top bar, the main region.
enum Layout {
    static func page(title: String, user: ManagerLogin.User?, @HTMLBuilder content: () -> HTML) -> HTML {
        HTML.document(language: "en", [
            tag("head") {
                tag("meta", ["charset": "utf-8"])
                tag("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
                tag("title") { "\(title) · Sconto Campaign Manager" }
                tag("link", ["rel": "stylesheet", "href": Assets.stylesheetPath])
                tag("script", ["src": Assets.scriptPath, "defer": ""])
            },
            tag("body") {
                tag("a", ["class": "skip", "href": "#main"]) { "Skip to content" }
                tag("header", ["class": "top"]) {
                    tag("a", ["href": "/applications"]) { tag("strong") { "Sconto Campaign Manager" } }
                    if let user {
                        tag("nav", ["aria-label": "Main"]) {
                            tag("a", ["href": "/applications"]) { "Applications" }
                            tag("a", ["href": "/attributes"]) { "Attributes" }
                            tag("a", ["href": "/audiences"]) { "Audiences" }
                            tag("a", ["href": "/collections"]) { "Collections" }
                            tag("a", ["href": "/loyalty"]) { "Loyalty" }
                            tag("a", ["href": "/webhooks"]) { "Webhooks" }
                            tag("a", ["href": "/management_keys"]) { "Management keys" }
                            tag("form", ["method": "post", "action": "/logout"]) {
                                csrfField(user.csrfToken)
                                tag("button", ["type": "submit", "class": "link"]) { "Log out" }
                            }
                        }
                    }
                }
                tag("main", ["id": "main"]) {
                    tag("h1") { title }
                    content()
                }
            },
        ])
    }

    /// The links between an application's pages.
    static func applicationNav(_ application: Application) -> HTML {
        let base = "/applications/\(application.id)"
        return tag("nav", ["class": "subnav", "aria-label": "Application"]) {
            tag("a", ["href": base]) { "← \(application.settings.name)" }
            tag("a", ["href": base + "/customers"]) { "Customers" }
            tag("a", ["href": base + "/sessions"]) { "Sessions" }
            tag("a", ["href": base + "/referrals"]) { "Referrals" }
            tag("a", ["href": base + "/logs"]) { "Integration API logs" }
            tag("a", ["href": base + "/analytics"]) { "Analytics" }
            tag("a", ["href": base + "/settings"]) { "Settings" }
        }
    }

    /// A table with a header row; rows are given as cells.
    static func table(id: String? = nil, headers: [String], rows: [[HTML]]) -> HTML {
        tag("div", ["class": "table-wrap"]) {
            tag("table", ["id": id]) {
                tag("thead") { tag("tr") { for header in headers { tag("th", ["scope": "col"]) { header } } } }
                tag("tbody") {
                    for row in rows { tag("tr") { for cell in row { tag("td") { cell } } } }
                }
            }
        }
    }

    static func csrfField(_ token: String) -> HTML {
        tag("input", ["type": "hidden", "name": "csrf", "value": token])
    }

    /// A labelled input; the label's `for` ties it to the field for screen readers and clicks.
    static func field(
        _ label: String, name: String, value: String = "", type: String = "text", required: Bool = true,
        hint: String? = nil
    ) -> HTML {
        tag("div") {
            tag("label", ["for": name]) { label }
            tag("input", ["id": name, "name": name, "type": type, "value": value, "required": required ? "" : nil,
                          "aria-describedby": hint == nil ? nil : name + "-hint"])
            if let hint { tag("small", ["id": name + "-hint"]) { hint } }
        }
    }

    /// A CSV file picker that fills the text area `name` (so the form stays url-encoded, CSRF token and all), and
    /// the area itself, to paste into; it starts with the file's header line.
    static func csvInput(name: String, header: String, hint: String) -> HTML {
        .joined([
            tag("div") {
                tag("label", ["for": name + "-file"]) { "CSV file" }
                tag("input", ["type": "file", "id": name + "-file", "accept": ".csv,text/csv", "data-fill": name])
            },
            tag("div") {
                tag("label", ["for": name]) { "or paste it" }
                tag("textarea", ["id": name, "name": name, "rows": "6", "aria-describedby": name + "-hint"]) { header }
                tag("small", ["id": name + "-hint"]) { hint }
            },
        ])
    }

    /// A labelled drop-down; options are (value, label).
    static func select(_ label: String, name: String, options: [(String, String)], selected: String) -> HTML {
        tag("div") {
            tag("label", ["for": name]) { label }
            tag("select", ["id": name, "name": name]) {
                for (value, text) in options {
                    tag("option", ["value": value, "selected": value == selected ? "" : nil]) { text }
                }
            }
        }
    }

    /// Problems found in what the user sent, each with the JSON pointer of the field it concerns.
    static func issues(_ issues: [ValidationIssue], id: String = "issues") -> HTML {
        tag("div", ["class": "errors", "role": "alert", "hidden": issues.isEmpty ? "" : nil]) {
            tag("p") { "Please correct:" }
            tag("ul", ["id": id]) {
                for issue in issues {
                    tag("li") {
                        tag("code") { issue.pointer }
                        " \(issue.message)"
                    }
                }
            }
        }
    }
}
