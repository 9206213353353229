import Foundation
import PromotionEngine
import Storage

/// Customer profiles: search by integration id, and one profile with its sessions and coupons.
enum CustomersPage {
    static func list(
        _ application: Application, profiles: Page<CustomerProfile>, query: String?, paging: Paging, user: ManagerLogin.User
    ) -> HTML {
        let base = "/applications/\(application.id)"
        return Layout.page(title: "Customers of \(application.settings.name)", user: user) {
            Layout.applicationNav(application)
            searchForm(action: base + "/customers", label: "Customer integration id", query: query)
            tag("section", ["class": "card"]) {
                tag("h2") { "Profiles (\(profiles.totalCount))" }
                if profiles.items.isEmpty {
                    tag("p") { "No customer profile matches." }
                } else {
                    Layout.table(id: "profiles", headers: ["Integration id", "Closed sessions", "Total sales", "Last activity"],
                                 rows: profiles.items.map { profile in
                        [tag("a", ["href": "\(base)/customers/\(profile.id)"]) { profile.integrationId },
                         .text("\(profile.closedSessions)"), .text("\(profile.totalSales) \(application.settings.currency)"),
                         .text(Self.time(profile.lastActivity))]
                    })
                    paging.links(profiles)
                }
            }
        }
    }

    static func profile(
        _ application: Application, profile: CustomerProfile, sessions: Page<StoredSession>, paging: Paging,
        loyalty: [(program: LoyaltyProgram, balance: LoyaltyBalance)], user: ManagerLogin.User
    ) -> HTML {
        let couponCodes = Array(Set(sessions.items.flatMap(\.session.couponCodes))).sorted()
        return Layout.page(title: "Customer \(profile.integrationId)", user: user) {
            Layout.applicationNav(application)
            tag("section", ["class": "card"]) {
                tag("p") {
                    "\(profile.closedSessions) closed sessions · total sales \(profile.totalSales) "
                    "\(application.settings.currency) · since \(Self.time(profile.created))"
                }
                tag("h2") { "Attributes" }
                tag("pre", ["id": "profile-attributes"]) { Pages.json(profile.attributes) }
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Sessions" }
                SessionsPage.table(sessions.items, application: application, id: "profile-sessions")
                paging.links(sessions)
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Loyalty" }
                if loyalty.isEmpty { tag("p") { "No profile-based loyalty program for this application." } }
                else {
                    Layout.table(id: "profile-loyalty", headers: ["Program", "Active points", "Pending points", "Spent", "Expired"],
                                 rows: loyalty.map { program, balance in
                        [.text(program.settings.title), .text("\(balance.activePoints)"), .text("\(balance.pendingPoints)"),
                         .text("\(balance.spentPoints)"), .text("\(balance.expiredPoints)")]
                    })
                }
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Coupons used in these sessions" }
                if couponCodes.isEmpty { tag("p") { "None." } }
                else { tag("ul", ["id": "profile-coupons"]) { for code in couponCodes { tag("li") { tag("code") { code } } } } }
            }
        }
    }

    /// A GET search form (no state changes, so no CSRF token).
    static func searchForm(action: String, label: String, query: String?) -> HTML {
        tag("form", ["class": "card search", "method": "get", "action": action, "role": "search"]) {
            Layout.field(label, name: "q", value: query ?? "", required: false)
            tag("button", ["type": "submit"]) { "Search" }
        }
    }

    static func time(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
    }
}

/// Lists show one page of at most `pageSize` rows, with links to the pages before and after.
struct Paging {
    static let pageSize = 100
    /// 0-based.
    var number = 0
    /// The list's path with its other query parameters (`q`, filters), to which `page=` is added.
    var path = ""

    var request: PageRequest { PageRequest(pageSize: Self.pageSize, skip: number * Self.pageSize) }

    /// `-name`: descending.
    func request(sortedBy sort: String) -> PageRequest {
        PageRequest(pageSize: Self.pageSize, skip: number * Self.pageSize, sort: SortField(parsing: sort))
    }

    func links(hasMore: Bool) -> HTML {
        guard number > 0 || hasMore else { return .empty }
        let separator = path.contains("?") ? "&" : "?"
        return tag("nav", ["class": "paging", "aria-label": "Pages"]) {
            if number > 0 { tag("a", ["href": "\(path)\(separator)page=\(number - 1)", "rel": "prev"]) { "← Previous" } }
            tag("span") { "Page \(number + 1)" }
            if hasMore { tag("a", ["href": "\(path)\(separator)page=\(number + 1)", "rel": "next"]) { "Next →" } }
        }
    }

    func links<Item: Sendable>(_ page: Page<Item>) -> HTML { links(hasMore: (number + 1) * Self.pageSize < page.totalCount) }
}
