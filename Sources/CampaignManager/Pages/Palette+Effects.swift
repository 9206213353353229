import Foundation
import PromotionEngine

private typealias T = TalangJSON

/// The palette's effects, in the order the builder shows them (and the rule runs them).
extension Palette {
    static let effects: [PaletteEntry] = [
        PaletteEntry(key: "sessionDiscount", role: .effect, label: "Discount on the session", fields: [
            .init(name: "discount", label: "Discount", kind: .choice([
                .init(value: "percentage", label: "Percentage off the session total"),
                .init(value: "fixed", label: "Fixed amount off the session"),
            ])),
            .init(name: "amount", label: "Amount (percent, or money in the application's currency)"),
        ]) { input in
            let value = discountValue(&input, kindField: "discount", amountField: "amount",
                                      base: T.read("Session", "Total"))
            return T.call("setDiscount", .string(input.ruleName), value)
        },
        itemDiscount,
        PaletteEntry(key: "additionalCostDiscount", role: .effect, label: "Discount on an additional cost", fields: [
            .init(name: "additionalCostName", label: "Additional cost (name)", hint: "e.g. shipping"),
            .init(name: "additionalCostKind", label: "Discount", kind: .choice(percentOrFixed)),
            .init(name: "additionalCostAmount", label: "Amount (percent or money)"),
        ]) { input in
            let cost = input.required("additionalCostName")
            let value = discountValue(&input, kindField: "additionalCostKind", amountField: "additionalCostAmount",
                                      base: T.read("Session", "AdditionalCosts", cost, "Price"))
            return T.call("setDiscountPerAdditionalCost", .string(input.ruleName), .string(cost), value)
        },
        PaletteEntry(key: "freeItem", role: .effect, label: "Free item", fields: [
            .init(name: "freeItemSku", label: "SKU"), .init(name: "freeItemName", label: "Name"),
        ]) { input in
            T.call("addFreeItem", .string(input.required("freeItemSku")), .string(input.required("freeItemName")))
        },
        PaletteEntry(key: "notification", role: .effect, label: "Show a notification", fields: [
            .init(name: "notificationType", label: "Type", hint: "e.g. Info, Offer"),
            .init(name: "notificationTitle", label: "Title"), .init(name: "notificationBody", label: "Text"),
        ]) { input in
            T.call("showNotification", .string(input.required("notificationType")),
                   .string(input.required("notificationTitle")), .string(input.text("notificationBody")))
        },
        PaletteEntry(key: "createCoupon", role: .effect, label: "Create a coupon", fields: [
            .init(name: "couponRecipient", label: "For customer (integration id)",
                  hint: "Empty: the session's customer"),
        ]) { input in
            T.call("createCoupon", .string(input.text("couponRecipient")))
        },
        PaletteEntry(key: "updateAttribute", role: .effect, label: "Update an attribute", fields: [
            .init(name: "updateAttributeName", label: "Attribute", kind: .attribute([.customerProfile, .customerSession])),
            .init(name: "updateAttributeValue", label: "New value", hint: "Typed as the attribute"),
        ]) { input in
            guard let attribute = input.attribute("updateAttributeName") else { return .null }
            let binding = attribute.entity == .customerProfile ? "Profile" : "Session"
            return T.call("updateAttribute", .string("\(binding).Attributes.\(attribute.name)"),
                          input.literal("updateAttributeValue", for: attribute))
        },
        PaletteEntry(key: "earnLoyalty", role: .effect, label: "Earn loyalty points", fields: [
            .init(name: "earnProgramId", label: "Loyalty program id"),
            .init(name: "earnPoints", label: "Points"),
            .init(name: "earnPer", label: "For every (money) of the session total", hint: "e.g. 10; rounded down"),
        ]) { input in
            let program = JSONValue.number(input.number("earnProgramId") ?? 0)
            let points = T.call("loyaltyPointsFor", T.read("Session", "Total"), .number(input.number("earnPer") ?? 1),
                                .number(input.number("earnPoints") ?? 0), .string("down"))
            return T.call("addLoyaltyPoints", program, points)
        },
        PaletteEntry(key: "redeemLoyalty", role: .effect, label: "Redeem loyalty points for a discount", fields: [
            .init(name: "redeemProgramId", label: "Loyalty program id"),
            .init(name: "redeemPoints", label: "Points spent"),
            .init(name: "redeemValue", label: "Discount (money)"),
        ]) { input in
            T.call("redeemLoyaltyPoints", .number(input.number("redeemProgramId") ?? 0),
                   .number(input.number("redeemPoints") ?? 0), .number(input.number("redeemValue") ?? 0))
        },
        PaletteEntry(key: "webhook", role: .effect, label: "Call a webhook", fields: [
            .init(name: "webhookId", label: "Webhook id"),
            .init(name: "webhookArguments", label: "Its parameters, in order, comma-separated",
                  hint: "Session.Total or Profile.Attributes.x read the session; anything else is text"),
        ]) { input in
            let arguments = input.text("webhookArguments").split(separator: ",").map { part -> JSONValue in
                let text = part.trimmingCharacters(in: .whitespaces)
                let path = text.split(separator: ".").map(String.init)
                if ["Session", "Profile"].contains(path.first ?? ""), path.count > 1 {
                    return T.call(".", path.map(JSONValue.string))
                }
                return .string(text)
            }
            return T.call("triggerWebhook", [.number(input.number("webhookId") ?? 0)] + arguments)
        },
    ]

    /// `setDiscountPerItem` on every cart item that matches (or every item), at the item's position.
    private static let itemDiscount = PaletteEntry(
        key: "itemDiscount", role: .effect, label: "Discount per item",
        fields: [
            .init(name: "itemDiscountKind", label: "Discount", kind: .choice(percentOrFixed)),
            .init(name: "itemDiscountAmount", label: "Amount per item (percent of its price × quantity, or money)"),
            .init(name: "itemDiscountCategory", label: "On items of category", hint: "Empty: any category"),
            .init(name: "itemDiscountSku", label: "On items with SKU", hint: "Empty: any SKU"),
        ]
    ) { input in
        let cost = T.call("*", T.read("Item", "Price"), T.read("Item", "Quantity"))
        let value = discountValue(&input, kindField: "itemDiscountKind", amountField: "itemDiscountAmount", base: cost)
        var tests: [JSONValue] = []
        for (field, attribute) in [("itemDiscountCategory", "Category"), ("itemDiscountSku", "SKU")]
        where !input.text(field).isEmpty {
            tests.append(T.call("=", T.read("Item", attribute), .string(input.text(field))))
        }
        let items = tests.isEmpty ? T.cartItems : T.call("filter", T.cartItems, T.lambda("Item", T.all(tests)))
        let discount = T.call("setDiscountPerItem", .string(input.ruleName), value, T.read("Item", "Position"))
        return T.call("map", items, T.lambda("Item", discount))
    }
}
