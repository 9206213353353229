import Foundation
import PromotionEngine

/// An application's referral codes: search by code and advocate, create one for an advocate, export as CSV.
enum ReferralsPage {
    struct Search {
        var code = ""
        var advocate = ""
    }

    static func render(
        _ application: Application, referrals: [Referral], campaigns: [Campaign], search: Search, paging: Paging,
        hasMore: Bool, user: ManagerLogin.User, created: String? = nil, draft: FormData = FormData(encoded: ""),
        issues: [ValidationIssue] = []
    ) -> HTML {
        let base = "/applications/\(application.id)/referrals"
        let names = Dictionary(campaigns.map { ($0.id, $0.settings.name) }, uniquingKeysWith: { first, _ in first })
        return Layout.page(title: "Referrals", user: user) {
            Layout.applicationNav(application)
            if let created {
                tag("p", ["class": "notice", "role": "status"]) { "Created the referral code "; tag("code", ["id": "new-referral"]) { created } }
            }
            tag("section", ["class": "card"]) {
                tag("form", ["class": "search", "method": "get", "action": base]) {
                    Layout.field("Code contains", name: "code", value: search.code, required: false)
                    Layout.field("Advocate (integration id)", name: "advocate", value: search.advocate, required: false)
                    tag("button", ["type": "submit"]) { "Search" }
                }
                tag("p") { tag("a", ["href": base + "/export", "id": "referrals-export"]) { "Export all as CSV" } }
                if referrals.isEmpty {
                    tag("p") { "No referral code found." }
                } else {
                    Layout.table(id: "referrals", headers: ["Code", "Advocate", "Friend", "Campaign", "Used", "Created"],
                                 rows: referrals.map { referral in
                        [tag("code") { referral.code }, .text(referral.advocateProfileIntegrationId),
                         .text(referral.friendProfileIntegrationId ?? ""), .text(names[referral.campaignId] ?? "\(referral.campaignId)"),
                         .text("\(referral.usageCounter) of \(referral.usageLimit == 0 ? "unlimited" : "\(referral.usageLimit)")"),
                         .text(referral.created.formatted(.iso8601))]
                    })
                    paging.links(hasMore: hasMore)
                }
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Create a referral code for an advocate" }
                Layout.issues(issues)
                if campaigns.isEmpty {
                    tag("p") { "No campaign of this application has the referrals feature." }
                } else {
                    tag("form", ["class": "stack", "method": "post", "action": base]) {
                        Layout.csrfField(user.csrfToken)
                        Layout.select("Referral campaign", name: "campaignId", options: campaigns.map { ("\($0.id)", $0.settings.name) },
                                      selected: draft.text("campaignId"))
                        Layout.field("Advocate (customer integration id)", name: "advocateProfileIntegrationId",
                                     value: draft.text("advocateProfileIntegrationId"))
                        Layout.field("Friend (integration id)", name: "friendProfileIntegrationId",
                                     value: draft.text("friendProfileIntegrationId"), required: false,
                                     hint: "Empty: any friend may use the code")
                        tag("button", ["type": "submit"]) { "Create referral code" }
                    }
                }
            }
        }
    }
}
