import Foundation
import PromotionEngine

/// A campaign's coupons: search by code, edit a coupon's usage limit and expiry, delete it.
enum CouponsPage {
    static func render(
        _ application: Application, campaign: Campaign, coupons: [Coupon], hasMore: Bool, query: String?,
        paging: Paging = Paging(), user: ManagerLogin.User, notice: String? = nil, issues: [ValidationIssue] = []
    ) -> HTML {
        let path = "/applications/\(application.id)/campaigns/\(campaign.id)"
        return Layout.page(title: "Coupons of \(campaign.settings.name)", user: user) {
            tag("p") { tag("a", ["href": path]) { "← \(campaign.settings.name)" } }
            CustomersPage.searchForm(action: path + "/coupons", label: "Code contains", query: query)
            if let notice { tag("p", ["class": "notice", "role": "status"]) { notice } }
            Layout.issues(issues)
            tag("p") {
                tag("a", ["href": path + "/coupons/export" + (query.map { "?q=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? ""),
                          "download": ""]) { query == nil ? "Export all as CSV" : "Export these as CSV" }
            }
            tag("section", ["class": "card"]) {
                if coupons.isEmpty { tag("p") { "No coupon matches." } }
                else {
                    Layout.table(id: "coupons-table", headers: ["Code", "Used", "Limit and expiry", ""], rows: coupons.map {
                        row($0, path: path, user: user)
                    })
                }
                paging.links(hasMore: hasMore)
            }
            tag("section", ["class": "card"]) {
                tag("h2") { "Import coupons from CSV" }
                tag("form", ["class": "stack", "method": "post", "action": path + "/coupons/import"]) {
                    Layout.csrfField(user.csrfToken)
                    Layout.csvInput(name: "csv", header: "value,limitval,expirydate\n", hint: "Talon.One's columns: value "
                        + "(required), limitval, expirydate, startdate, recipientintegrationid, discountlimit, attributes")
                    tag("label") {
                        tag("input", ["type": "checkbox", "name": "skipDuplicates", "id": "skipDuplicates"])
                        "Skip codes that exist"
                    }
                    tag("button", ["type": "submit"]) { "Import coupons" }
                }
            }
        }
    }

    private static func row(_ coupon: Coupon, path: String, user: ManagerLogin.User) -> [HTML] {
        let action = "\(path)/coupons/\(coupon.id)"
        return [
            tag("code") { coupon.value },
            .text("\(coupon.usageCounter)"),
            tag("form", ["class": "inline", "method": "post", "action": action]) {
                Layout.csrfField(user.csrfToken)
                tag("input", ["name": "usageLimit", "type": "number", "min": "0", "value": "\(coupon.usageLimit)",
                              "aria-label": "Usage limit of \(coupon.value) (0: unlimited)"])
                tag("input", ["name": "expiryDate", "type": "datetime-local",
                              "value": CampaignSettingsPage.local(coupon.expiryDate),
                              "aria-label": "Expiry of \(coupon.value) (UTC)"])
                tag("button", ["type": "submit", "aria-label": "Save \(coupon.value)"]) { "Save" }
            },
            tag("form", ["method": "post", "action": action + "/delete"]) {
                Layout.csrfField(user.csrfToken)
                tag("button", ["type": "submit", "class": "danger", "aria-label": "Delete \(coupon.value)"]) { "Delete" }
            },
        ]
    }
}
