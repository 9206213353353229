import Foundation
import PromotionEngine
import Storage

/// The Integration API's access log with filters; each entry opens to its request and response.
enum LogsPage {
    struct Filters {
        var status = ""
        var path = ""
        var from = ""
        var to = ""
    }

    static func render(
        _ application: Application, entries: [AccessLogEntry], hasMore: Bool, filters: Filters, paging: Paging,
        user: ManagerLogin.User, issues: [ValidationIssue] = []
    ) -> HTML {
        Layout.page(title: "Integration API logs", user: user) {
            Layout.applicationNav(application)
            tag("form", ["class": "card grid", "method": "get", "action": "/applications/\(application.id)/logs",
                         "role": "search"]) {
                Layout.select("Status", name: "status", options: [("", "any"), ("success", "success (< 400)"),
                                                                   ("error", "error (≥ 400)")], selected: filters.status)
                Layout.field("Path contains", name: "path", value: filters.path, required: false)
                Layout.field("From (UTC)", name: "from", value: filters.from, type: "datetime-local", required: false)
                Layout.field("To (UTC)", name: "to", value: filters.to, type: "datetime-local", required: false)
                tag("button", ["type": "submit"]) { "Filter" }
            }
            Layout.issues(issues)
            tag("section", ["class": "card"]) {
                tag("h2") { "Requests" }
                if entries.isEmpty { tag("p") { "No request in this range." } }
                tag("ul", ["id": "log-entries", "class": "plain"]) {
                    for entry in entries { tag("li") { self.entry(entry) } }
                }
                paging.links(hasMore: hasMore)
            }
        }
    }

    private static func entry(_ entry: AccessLogEntry) -> HTML {
        tag("details") {
            tag("summary") {
                tag("span", ["class": entry.status < 400 ? "state" : "state bad"]) { "\(entry.status)" }
                " \(entry.method) \(entry.requestUri) · \(CustomersPage.time(entry.time))"
                " · \(entry.durationMilliseconds.formatted(.number.precision(.fractionLength(1)))) ms"
            }
            tag("h3") { "Request" }
            tag("pre", ["class": "request"]) { entry.requestPayload }
            tag("h3") { "Response" }
            tag("pre", ["class": "response"]) { entry.responsePayload }
        }
    }
}
