import Foundation
import PromotionEngine
import Storage

/// `/audiences`: the account's audiences with their member counts and a form to create one; one audience's
/// members.
enum AudiencesPage {
    static func list(
        _ audiences: [Audience], counts: [Int64: Int], paging: Paging, hasMore: Bool, user: ManagerLogin.User,
        draft: (name: String, description: String) = ("", ""), issues: [ValidationIssue] = []
    ) -> HTML {
        Layout.page(title: "Audiences", user: user) {
            tag("section", ["class": "card"]) {
                tag("h2") { "Audiences" }
                if audiences.isEmpty && paging.number == 0 {
                    tag("p") { "No audience yet." }
                } else {
                    Layout.table(id: "audiences", headers: ["Id", "Name", "Members", "Created"], rows: audiences.map { audience in
                        [.text(String(audience.id)),
                         tag("a", ["href": "/audiences/\(audience.id)"]) { audience.name },
                         .text(String(counts[audience.id] ?? 0)), .text(audience.created.formatted(.iso8601))]
                    })
                    paging.links(hasMore: hasMore)
                }
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Create an audience" }
                Layout.issues(issues)
                tag("form", ["class": "stack", "method": "post", "action": "/audiences"]) {
                    Layout.csrfField(user.csrfToken)
                    Layout.field("Name", name: "name", value: draft.name)
                    Layout.field("Description", name: "description", value: draft.description, required: false)
                    tag("button", ["type": "submit"]) { "Create audience" }
                }
            }
        }
    }

    static func members(
        _ audience: Audience, members: [AudienceMember], count: Int, paging: Paging, hasMore: Bool,
        user: ManagerLogin.User
    ) -> HTML {
        Layout.page(title: "Audience \(audience.name)", user: user) {
            tag("nav", ["class": "subnav"]) { tag("a", ["href": "/audiences"]) { "← Audiences" } }
            tag("section", ["class": "card"]) {
                tag("p", ["id": "audience-summary"]) {
                    "Id \(audience.id) · \(count) members" + (audience.description.map { " · \($0)" } ?? "")
                }
                if members.isEmpty {
                    tag("p") { "No member yet: shops add profiles with POST /v2/customer_audiences, rules with addToAudience." }
                } else {
                    Layout.table(id: "audience-members", headers: ["Customer", "Member since"], rows: members.map { member in
                        [.text(member.profileIntegrationId), .text(member.created.formatted(.iso8601))]
                    })
                    paging.links(hasMore: hasMore)
                }
            }
        }
    }
}
