import Foundation
import PromotionEngine

/// Collections (the account's at `/collections`, a campaign's under the campaign): list and create; one
/// collection's items, CSV import (replaces the items) and export.
enum CollectionsPage {
    /// Where the pages live and what the heading calls them.
    struct Place: Sendable {
        var base: String
        var title: String
        /// The account's applications a new account collection may be for; nil for a campaign's collections.
        var applications: [Application]?
        /// A link back (the campaign), if any.
        var back: (href: String, label: String)?
    }

    static func list(
        _ place: Place, collections: [ItemCollection], paging: Paging, hasMore: Bool, user: ManagerLogin.User,
        draft: FormData = FormData(encoded: ""), issues: [ValidationIssue] = []
    ) -> HTML {
        Layout.page(title: place.title, user: user) {
            if let back = place.back { tag("nav", ["class": "subnav"]) { tag("a", ["href": back.href]) { back.label } } }
            tag("section", ["class": "card"]) {
                if collections.isEmpty && paging.number == 0 {
                    tag("p") { "No collection yet." }
                } else {
                    Layout.table(id: "collections", headers: ["Id", "Name", "Description", "Modified"], rows: collections.map { collection in
                        [.text(String(collection.id)), tag("a", ["href": "\(place.base)/\(collection.id)"]) { collection.name },
                         .text(collection.description ?? ""), .text(collection.modified.formatted(.iso8601))]
                    })
                    paging.links(hasMore: hasMore)
                }
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Create a collection" }
                Layout.issues(issues)
                tag("form", ["class": "stack", "method": "post", "action": place.base]) {
                    Layout.csrfField(user.csrfToken)
                    Layout.field("Name", name: "name", value: draft.text("name"), hint: "Rules name it: isInCollection")
                    Layout.field("Description", name: "description", value: draft.text("description"), required: false)
                    if let applications = place.applications {
                        Layout.applicationChoices(applications, legend: "For the rules of", draft: draft)
                    }
                    tag("button", ["type": "submit"]) { "Create collection" }
                }
            }
        }
    }

    static func detail(
        _ place: Place, collection: ItemCollection, items: [String], paging: Paging, hasMore: Bool,
        user: ManagerLogin.User, notice: String? = nil, issues: [ValidationIssue] = []
    ) -> HTML {
        let path = "\(place.base)/\(collection.id)"
        return Layout.page(title: "Collection \(collection.name)", user: user) {
            tag("nav", ["class": "subnav"]) {
                tag("a", ["href": place.base]) { "← \(place.title)" }
                tag("a", ["href": path + "/export", "id": "collection-export"]) { "Export CSV" }
            }
            if let notice { tag("p", ["class": "notice", "role": "status"]) { notice } }
            tag("section", ["class": "card"]) {
                tag("h2") { "Items" }
                if items.isEmpty && paging.number == 0 {
                    tag("p") { "No item yet: import a CSV below." }
                } else {
                    tag("ul", ["class": "plain", "id": "collection-items"]) {
                        for item in items { tag("li") { tag("code") { item } } }
                    }
                    paging.links(hasMore: hasMore)
                }
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Import items from CSV (replaces them)" }
                Layout.issues(issues)
                tag("form", ["class": "stack", "method": "post", "action": path + "/import"]) {
                    Layout.csrfField(user.csrfToken)
                    Layout.csvInput(name: "items", header: "item\n", hint: "One column named item, one value per line")
                    tag("button", ["type": "submit"]) { "Import items" }
                }
            }
        }
    }
}
