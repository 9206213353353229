import Foundation
import PromotionEngine
import Services

/// Try it: a cart and a profile in a form, evaluated dry against the campaign's draft ruleset; the effects
/// and why each rule did or did not apply.
enum TryItPage {
    /// The form's cart: a few item rows, a coupon code and a customer profile id.
    struct Cart {
        static let rows = 3
        var couponCode = ""
        var profileId = ""
        var items: [[String: String]] = Array(repeating: [:], count: rows)

        init() {
            items[0] = ["name": "Red Spring Blouse", "sku": "rdbs-1111", "category": "Shirts", "quantity": "1", "price": "49"]
            items[1] = ["name": "Denim Trousers", "sku": "dtr-2222", "category": "Trousers", "quantity": "1", "price": "74"]
        }

        init(form: FormData) {
            couponCode = form.text("couponCode")
            profileId = form.text("profileId")
            for row in 0..<Self.rows {
                for field in ["name", "sku", "category", "quantity", "price"] {
                    items[row][field] = form.text("\(field)\(row)")
                }
            }
        }

        /// The session update the form stands for, or the fields that cannot make one.
        func update() -> Result<SessionUpdate, ValidationFailureList> {
            var update = SessionUpdate()
            var issues: [ValidationIssue] = []
            var cartItems: [CartItem] = []
            var rows: [Int] = []  // the form row of each cart item, for pointers
            for (row, item) in items.enumerated() where !(item["sku"] ?? "").isEmpty {
                let quantity = Int(item["quantity"] ?? "")
                let price = RuleBuilder.decimal(item["price"] ?? "")
                if quantity == nil { issues.append(.init(pointer: "/cartItems/\(row)/quantity", message: "must be a whole number")) }
                if price == nil { issues.append(.init(pointer: "/cartItems/\(row)/price", message: "must be a number")) }
                guard let quantity, let price else { continue }
                rows.append(row)
                cartItems.append(CartItem(name: item["name"].flatMap { $0.isEmpty ? nil : $0 }, sku: item["sku"] ?? "",
                                          quantity: quantity, price: price,
                                          category: item["category"].flatMap { $0.isEmpty ? nil : $0 }))
            }
            update.cartItems = cartItems
            update.couponCodes = couponCode.isEmpty ? [] : [couponCode]
            if !profileId.isEmpty { update.profileId = profileId }
            // The session's own checks, with pointers naming the form's rows (empty rows are skipped).
            issues += update.validate(at: "").map { issue in
                let parts = issue.pointer.split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count > 2, parts[1] == "cartItems", let index = Int(parts[2]), rows.indices.contains(index)
                else { return issue }
                var renamed = parts
                renamed[2] = Substring(String(rows[index]))
                return ValidationIssue(pointer: renamed.joined(separator: "/"), message: issue.message)
            }
            return issues.isEmpty ? .success(update) : .failure(ValidationFailureList(issues: issues))
        }
    }

    static func render(
        _ application: Application, campaign: Campaign, draftRulesetId: Int64?, cart: Cart, result: SessionUpdateResult?,
        user: ManagerLogin.User, issues: [ValidationIssue] = []
    ) -> HTML {
        let path = "/applications/\(application.id)/campaigns/\(campaign.id)"
        return Layout.page(title: "Try \(campaign.settings.name)", user: user) {
            tag("p") { tag("a", ["href": path]) { "← \(campaign.settings.name)" } }
            tag("p") {
                if let draftRulesetId {
                    "A dry evaluation against the draft ruleset (version \(draftRulesetId)) with the other campaigns as "
                    "they run: nothing is stored, no coupon is used."
                } else {
                    "This campaign has no ruleset yet."
                }
            }
            tag("form", ["class": "card", "method": "post", "action": path + "/try"]) {
                Layout.csrfField(user.csrfToken)
                tag("div", ["class": "grid"]) {
                    Layout.field("Coupon code", name: "couponCode", value: cart.couponCode, required: false)
                    Layout.field("Customer profile id", name: "profileId", value: cart.profileId, required: false,
                                 hint: "Optional: evaluates with this profile's data")
                }
                tag("fieldset") {
                    tag("legend") { "Cart items (rows without SKU are left out)" }
                    for row in 0..<Cart.rows { itemRow(row, cart.items[row]) }
                }
                Layout.issues(issues)
                tag("button", ["type": "submit"]) { "Try it" }
            }
            if let result { outcome(result, currency: application.settings.currency) }
        }
    }

    private static func itemRow(_ row: Int, _ item: [String: String]) -> HTML {
        tag("div", ["class": "grid item-row"]) {
            for (field, label) in [("name", "Name"), ("sku", "SKU"), ("category", "Category"), ("quantity", "Quantity"),
                                   ("price", "Price")] {
                Layout.field("\(label) \(row + 1)", name: "\(field)\(row)", value: item[field] ?? "", required: false)
            }
        }
    }

    private static func outcome(_ result: SessionUpdateResult, currency: String) -> HTML {
        tag("section", ["class": "card", "id": "try-result", "aria-live": "polite"]) {
            tag("h2") { "Outcome" }
            tag("p") { "Session total \(result.session.total) \(currency)" }
            tag("h3") { "Effects" }
            if result.effects.isEmpty { tag("p") { "No effect." } }
            else { EffectsTable.render(result.effects, id: "try-effects") }
            tag("h3") { "Rules that did not apply" }
            if result.ruleFailures.isEmpty {
                tag("p") { "Every evaluated rule applied." }
            } else {
                Layout.table(id: "rule-failures", headers: ["Campaign", "Rule", "Why"], rows: result.ruleFailures.map {
                    [.text($0.campaignName), .text($0.ruleName), .text($0.details)]
                })
            }
        }
    }
}

/// Effects as a table: type, campaign, rule and props (as the API answers them).
enum EffectsTable {
    static func render(_ effects: [Effect], id: String) -> HTML {
        Layout.table(id: id, headers: ["Effect", "Campaign", "Rule", "Props"], rows: effects.map { effect in
            [tag("code") { effect.type.rawValue }, .text("\(effect.campaignId)"), .text(effect.ruleName),
             tag("code") { Pages.json(effect.kind.props) }]
        })
    }
}
