import Foundation
import PromotionEngine

private typealias T = TalangJSON

/// The palette's conditions, in the order the builder shows them (and joins them with `and`).
extension Palette {
    static let conditions: [PaletteEntry] = [
        PaletteEntry(key: "couponValid", role: .condition, label: "A valid coupon code is given", fields: [],
                     features: [.coupons]) { _ in T.call("couponValid") },
        PaletteEntry(key: "referralValid", role: .condition, label: "A valid referral code is given", fields: [],
                     features: [.referrals]) { _ in T.call("referralValid") },
        PaletteEntry(key: "sessionTotal", role: .condition, label: "Session total greater than",
                     fields: [.init(name: "minimumTotal", label: "Minimum total (money)")]) { input in
            T.call(">", T.read("Session", "Total"), .number(input.number("minimumTotal", zero: true) ?? 0))
        },
        cartItem,
        PaletteEntry(key: "cartQuantity", role: .condition, label: "Items in the cart (all quantities) at least",
                     fields: [.init(name: "cartQuantityMinimum", label: "Quantity")]) { input in
            let total = T.call("sum", T.cartItems, T.lambda("Item", T.read("Item", "Quantity")))
            return T.call(">=", total, .number(input.number("cartQuantityMinimum") ?? 0))
        },
        attributeComparison(key: "profileAttribute", label: "Customer profile attribute", entity: .customerProfile,
                            binding: "Profile"),
        attributeComparison(key: "sessionAttribute", label: "Session attribute", entity: .customerSession,
                            binding: "Session"),
        PaletteEntry(key: "customEvent", role: .condition, label: "A custom event of this type is tracked",
                     fields: [.init(name: "eventType", label: "Event type")]) { input in
            T.orFalse(T.call("=", T.read("Event", "Type"), .string(input.required("eventType"))))
        },
        timeWindow,
        PaletteEntry(key: "audience", role: .condition, label: "Customer is in an audience",
                     fields: [.init(name: "audienceId", label: "Audience id", hint: "The id on the Audiences page")]) { input in
            T.call("profileInAudience", .number(input.number("audienceId") ?? 0))
        },
        PaletteEntry(key: "loyaltyBalance", role: .condition, label: "Loyalty points at least", fields: [
            .init(name: "balanceProgramId", label: "Loyalty program id", hint: "The id in the program's settings"),
            .init(name: "balanceMinimum", label: "Active points"),
        ]) { input in
            let program = JSONValue.number(input.number("balanceProgramId") ?? 0)
            return T.call(">=", T.call("loyaltyPoints", program), .number(input.number("balanceMinimum", zero: true) ?? 0))
        },
    ]

    /// A cart item of a category, a SKU or in a collection (any of them given must hold), with a minimum quantity.
    private static let cartItem = PaletteEntry(
        key: "cartItem", role: .condition, label: "Cart contains an item",
        fields: [
            .init(name: "itemCategory", label: "Of category"), .init(name: "itemSku", label: "With SKU"),
            .init(name: "itemCollection", label: "In collection (name)"),
            .init(name: "itemQuantity", label: "Quantity at least", hint: "Leave empty for any quantity"),
        ]
    ) { input in
        var tests: [JSONValue] = []
        if !input.text("itemCategory").isEmpty {
            tests.append(T.call("=", T.read("Item", "Category"), .string(input.text("itemCategory"))))
        }
        if !input.text("itemSku").isEmpty {
            tests.append(T.call("=", T.read("Item", "SKU"), .string(input.text("itemSku"))))
        }
        if !input.text("itemCollection").isEmpty {
            tests.append(T.call("isInCollection", .string(input.text("itemCollection")), T.read("Item", "SKU")))
        }
        if tests.isEmpty { input.fail("itemCategory", "give a category, a SKU or a collection") }
        if let quantity = input.number("itemQuantity", optional: true) {
            tests.append(T.call(">=", T.read("Item", "Quantity"), .number(quantity)))
        }
        // One plain category or SKU test is the shape the engine indexes (RulesetCompiler.requiredCartItem).
        return T.call("exists", T.cartItems, T.lambda("Item", T.all(tests)))
    }

    static let comparisonOptions: [PaletteField.Option] = [
        .init(value: "=", label: "is"), .init(value: "!=", label: "is not"), .init(value: "<", label: "less than"),
        .init(value: "<=", label: "at most"), .init(value: ">", label: "greater than"), .init(value: ">=", label: "at least"),
        .init(value: "contains", label: "contains"), .init(value: "startsWith", label: "starts with"),
        .init(value: "before", label: "before (time)"), .init(value: "after", label: "after (time)"),
    ]

    /// The comparisons that fit each attribute type (the Talang functions of those names take its values).
    static func comparisons(for type: AttributeType) -> Set<String> {
        switch type {
        case .string, .location: ["=", "!=", "contains", "startsWith"]
        case .number: ["=", "!=", "<", "<=", ">", ">="]
        case .boolean: ["=", "!="]
        case .time: ["before", "after"]
        case .stringList, .numberList, .timeList, .locationList: []
        }
    }

    /// `<binding>.Attributes.<name> <comparison> <value>`, typed by the attribute registry.
    private static func attributeComparison(key: String, label: String, entity: AttributeEntity, binding: String)
        -> PaletteEntry
    {
        let (name, comparison, value) = (key + "Name", key + "Comparison", key + "Value")
        return PaletteEntry(key: key, role: .condition, label: label, fields: [
            .init(name: name, label: "Attribute", kind: .attribute([entity])),
            .init(name: comparison, label: "Comparison", kind: .choice(comparisonOptions)),
            .init(name: value, label: "Value", hint: "A number, true or false, or an RFC 3339 time, as the attribute's type"),
        ]) { input in
            guard let attribute = input.attribute(name) else { return .null }
            let function = input.text(comparison)
            if !Self.comparisons(for: attribute.type).contains(function) {
                input.fail(comparison, "does not apply to a \(attribute.type.rawValue) attribute")
            }
            let read = T.read(binding, "Attributes", attribute.name)
            return T.orFalse(T.call(function, read, input.literal(value, for: attribute)))
        }
    }

    /// Between two times and/or on some weekdays, in the application's time zone.
    private static let timeWindow = PaletteEntry(
        key: "timeWindow", role: .condition, label: "Time window",
        fields: [
            .init(name: "windowStart", label: "From", hint: "YYYY-MM-DD HH:MM in the application's time zone; empty: any"),
            .init(name: "windowEnd", label: "Until", hint: "YYYY-MM-DD HH:MM; empty: any"),
            .init(name: "weekday", label: "On these days (none: every day)", kind: .weekdays),
        ]
    ) { input in
        let zone = input.context.timeZone
        // Talang has no `now`; `days(t)` is the days from now to t, so t minus that many days is now. The
        // reference time carries the application's UTC offset (as of saving), so weekdays are read there.
        let offset = zone.secondsFromGMT(for: Date())
        let reference = JSONValue.string("2000-01-03T00:00:00" + RuleBuilder.offsetText(seconds: offset))
        let now = T.call("subDuration", reference, T.call("days", reference), .string("days"))
        var tests: [JSONValue] = []
        for (field, function) in [("windowStart", "after"), ("windowEnd", "before")] {
            let text = input.text(field)
            guard !text.isEmpty else { continue }
            guard let time = RuleBuilder.time(text, in: zone) else {
                input.fail(field, "must be a date and time as YYYY-MM-DD HH:MM")
                continue
            }
            tests.append(T.call(function, now, .string(time)))
        }
        let days = (0..<7).filter { !input.text("weekday\($0)").isEmpty }.map { JSONValue.string(String($0)) }
        if !days.isEmpty {
            let weekday = T.call("weekday", now)
            tests.append(T.call("exists", T.call("list", days), T.lambda("Day", T.call("=", T.read("Day"), weekday))))
        }
        if tests.isEmpty && input.text("windowStart").isEmpty && input.text("windowEnd").isEmpty {
            input.fail("windowStart", "give a start, an end or some weekdays")
        }
        return T.all(tests)
    }
}
