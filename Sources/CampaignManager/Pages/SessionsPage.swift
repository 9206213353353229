import Foundation
import PromotionEngine
import Storage

/// Customer sessions: the list, and one session with its cart, effects and events.
enum SessionsPage {
    static func list(
        _ application: Application, sessions: Page<StoredSession>, query: String?, paging: Paging, user: ManagerLogin.User
    ) -> HTML {
        Layout.page(title: "Sessions of \(application.settings.name)", user: user) {
            Layout.applicationNav(application)
            CustomersPage.searchForm(action: "/applications/\(application.id)/sessions", label: "Session id contains",
                                     query: query)
            tag("section", ["class": "card"]) {
                tag("h2") { "Sessions (\(sessions.totalCount))" }
                table(sessions.items, application: application, id: "sessions")
                paging.links(sessions)
            }
        }
    }

    static func table(_ sessions: [StoredSession], application: Application, id: String) -> HTML {
        if sessions.isEmpty { return tag("p") { "No session." } }
        return Layout.table(id: id, headers: ["Session", "Customer", "State", "Total", "Coupons", "Updated"],
                            rows: sessions.map { stored in
            let session = stored.session
            return [tag("a", ["href": "/applications/\(application.id)/sessions/\(session.id)"]) { session.integrationId },
                    .text(session.profileId ?? "anonymous"), .text(session.state.rawValue),
                    .text("\(session.total) \(application.settings.currency)"), .text(session.couponCodes.joined(separator: ", ")),
                    .text(CustomersPage.time(session.updated))]
        })
    }

    static func session(
        _ application: Application, stored: StoredSession, events: [SessionEvent], user: ManagerLogin.User
    ) -> HTML {
        let session = stored.session
        let currency = application.settings.currency
        return Layout.page(title: "Session \(session.integrationId)", user: user) {
            Layout.applicationNav(application)
            tag("section", ["class": "card"]) {
                tag("p") {
                    "State "
                    tag("span", ["class": "state", "id": "session-state"]) { session.state.rawValue }
                    " · total \(session.total) \(currency) · coupons \(session.couponCodes.joined(separator: ", "))"
                    " · customer "
                    if let internalId = stored.profileInternalId, let profileId = session.profileId {
                        tag("a", ["href": "/applications/\(application.id)/customers/\(internalId)"]) { profileId }
                    } else {
                        "anonymous"
                    }
                }
                tag("h2") { "Cart" }
                Layout.table(id: "cart", headers: ["Item", "SKU", "Category", "Quantity", "Price"],
                             rows: session.cartItems.map { item in
                    [.text(item.name ?? ""), .text(item.sku), .text(item.category ?? ""), .text("\(item.quantity)"),
                     .text(item.price.map { "\($0) \(currency)" } ?? "")]
                })
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Effects" }
                if stored.effects.isEmpty { tag("p") { "No effect." } }
                else { EffectsTable.render(stored.effects, id: "session-effects") }
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Events" }
                Layout.table(id: "session-events", headers: ["Time", "Event", "Effects"], rows: events.map { event in
                    [.text(CustomersPage.time(event.created)), tag("code") { event.type.rawValue },
                     .text(event.effects.map(\.type.rawValue).joined(separator: ", "))]
                })
            }
        }
    }
}
