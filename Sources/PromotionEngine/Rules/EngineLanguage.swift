import Foundation
import Talang

/// The rule language as campaigns use it: Talang's core plus the engine's bindings and effect functions.
///
/// The engine registers what Talang must not know: `couponValid`, `setDiscount` and the other effects,
/// and the schemas of `Session`, `Profile`, `Coupon`, `Event` and `Application` (custom attributes are
/// open objects: any name, any type, resolved at evaluation).
public enum EngineLanguage {
    public static let environment: Environment = {
        var environment = Environment.core
        let attributes = TalangType.object([:], open: true)
        let cartItem = TalangType.object([
            "Name": .string, "SKU": .string, "Quantity": .decimal, "Price": .decimal, "Category": .string,
            "Weight": .decimal, "Position": .decimal, "Attributes": attributes,
        ])
        environment.bind("Session", .object([
            "IntegrationId": .string, "ProfileId": .string, "State": .string, "Total": .decimal,
            "CartItemTotal": .decimal, "AdditionalCostTotal": .decimal, "CouponCode": .string,
            "CouponCodes": .list(.string), "ReferralCode": .string, "Identifiers": .list(.string),
            "FirstSession": .boolean, "UpdateCount": .decimal, "Attributes": attributes,
            "AdditionalCosts": .map(.object(["Price": .decimal])), "CartItems": .list(cartItem),
        ]), description: "The customer session (cart) being evaluated.")
        environment.bind("Profile", .object([
            "IntegrationId": .string, "ClosedSessions": .decimal, "TotalSales": .decimal, "Attributes": attributes,
        ]), description: "The customer profile of the session, empty for anonymous sessions.")
        environment.bind("Coupon", .object([
            "Code": .string, "Value": .string, "UsageCounter": .decimal, "UsageLimit": .decimal,
            "Attributes": attributes,
        ]), description: "The coupon being evaluated (empty when none).")
        environment.bind("Referral", .object([
            "Code": .string, "AdvocateProfileIntegrationId": .string, "FriendProfileIntegrationId": .string,
            "UsageCounter": .decimal, "UsageLimit": .decimal, "Attributes": attributes,
        ]), description: "The session's referral code when it is valid (empty otherwise); its advocate is who brought the friend.")
        environment.bind("Event", .object(["Type": .string, "Attributes": attributes]),
                         description: "The custom event being tracked (empty for session updates).")
        environment.bind("Application", .object(["Name": .string, "Currency": .string, "Attributes": attributes]),
                         description: "The application the campaign belongs to.")
        registerEffects(in: &environment)
        registerLoyalty(in: &environment)
        registerWebhooks(in: &environment)
        registerAchievements(in: &environment)
        registerLoyaltyExpiry(in: &environment)
        registerCodes(in: &environment)
        return environment
    }()

    /// `docs/rules.md`: what rules can use beyond Talang's core (the effect functions and the bindings).
    public static func referenceMarkdown() -> String {
        let header = """
            # Rule functions and bindings

            <!-- Generated from the declarations in Sources/PromotionEngine/Rules by `sconto talang docs --rules`; do not edit. -->

            A campaign's rules are Talang expressions (see `talang.md` for the core language). A rule has a
            condition, which only reads (effect functions are refused there when the ruleset is saved), and
            effects, which run in order when the condition holds; if one of them cannot apply (a discount on a
            cart item that is not there), none of that rule's effects are kept. Discounts are rounded to the
            currency's minor unit, never take a total below zero, and stay within the campaign's and the
            coupon's budgets.

            """
        return Documentation.markdown(for: environment, header: header, categories: ["Promotions"])
    }

    private static func registerEffects(in environment: inout Environment) {
        environment.register(
            "couponValid", Signature([], returns: .boolean),
            description: "True when the session's coupon for this campaign exists, runs and is within its limits.",
            category: "Promotions"
        ) { arguments in .boolean(try scope(arguments).couponValid()) }
        environment.register(
            "referralValid", Signature([], returns: .boolean),
            description: "True when the session's referral code belongs to this campaign, runs and is within its limits; a rule that applies with it accepts the referral.",
            category: "Promotions"
        ) { arguments in .boolean(try scope(arguments).referralValid()) }
        environment.register(
            "isInCollection", Signature([.value(.string), .value(.string)], returns: .boolean),
            description: "True when the collection (by name: the campaign's own, else the account's) holds the value, e.g. a cart item's SKU.",
            category: "Promotions"
        ) { arguments in .boolean(try scope(arguments).isInCollection(try arguments.string(0), try arguments.string(1))) }
        environment.register(
            "profileInAudience", Signature([.value(.decimal)], returns: .boolean),
            description: "True when the session's customer profile is a member of the audience (by id).",
            category: "Promotions"
        ) { arguments in .boolean(try scope(arguments).profileInAudience(try entityId(arguments))) }
        for (name, joins) in [("addToAudience", true), ("removeFromAudience", false)] {
            environment.register(
                name, Signature([.value(.decimal)], returns: .null),
                description: joins ? "Adds the session's customer profile to the audience (by id) when the request is stored."
                    : "Removes the session's customer profile from the audience (by id) when the request is stored.",
                category: "Promotions"
            ) { arguments in
                try scope(arguments).changeAudience(try entityId(arguments), joins: joins)
                return .null
            }
        }
        environment.register(
            "awardGiveaway", Signature([.value(.decimal)], returns: .null),
            Signature([.value(.decimal), .value(.string)], returns: .null),
            description: "Awards one code of the giveaway pool (by id) to the session's customer profile, or to the profile integration id given: willAwardGiveaway while the session is open, awardGiveaway with the code when it closes (none when the pool is empty).",
            category: "Promotions"
        ) { arguments in
            try scope(arguments).awardGiveaway(poolId: try entityId(arguments),
                                               recipient: arguments.count > 1 ? try arguments.string(1) : "")
            return .null
        }
        environment.register(
            "setDiscount", Signature([.value(.string), .value(.decimal)], returns: .null),
            Signature([.value(.string), .value(.decimal), .value(.string)], returns: .null),
            description: "Discounts the session by a value (capped so the total never goes below zero); "
                + "optional scope: sessionTotal, cartItems, additionalCosts.",
            category: "Promotions"
        ) { arguments in
            let scope = try scope(arguments)
            scope.setDiscount(name: try arguments.string(0), value: try arguments.decimal(1),
                              scope: arguments.count > 2 ? try arguments.string(2) : nil)
            return .null
        }
        environment.register(
            "setDiscountPerItem", Signature([.value(.string), .value(.decimal), .value(.decimal)], returns: .null),
            description: "Discounts the cart item at a position (capped at what the item costs).",
            category: "Promotions"
        ) { arguments in
            try scope(arguments).setDiscountPerItem(
                name: try arguments.string(0), value: try arguments.decimal(1),
                position: NSDecimalNumber(decimal: try arguments.decimal(2)).intValue
            )
            return .null
        }
        environment.register(
            "setDiscountPerAdditionalCost",
            Signature([.value(.string), .value(.string), .value(.decimal)], returns: .null),
            description: "Discounts a named additional cost of the session (capped at its price).",
            category: "Promotions"
        ) { arguments in
            try scope(arguments).setDiscountPerAdditionalCost(
                name: try arguments.string(0), additionalCost: try arguments.string(1), value: try arguments.decimal(2)
            )
            return .null
        }
        environment.register(
            "addFreeItem", Signature([.value(.string), .value(.string)], returns: .null),
            description: "Asks the shop to add a free item (SKU, name) to the cart.", category: "Promotions"
        ) { arguments in
            try scope(arguments).addFreeItem(sku: try arguments.string(0), name: try arguments.string(1))
            return .null
        }
        environment.register(
            "showNotification", Signature([.value(.string), .value(.string), .value(.string)], returns: .null),
            description: "Asks the shop to show a notification (type, title, body).", category: "Promotions"
        ) { arguments in
            try scope(arguments).showNotification(
                type: try arguments.string(0), title: try arguments.string(1), body: try arguments.string(2)
            )
            return .null
        }
        environment.register(
            "updateAttribute", Signature([.value(.string), .value(.any)], returns: .null),
            description: "Reports an attribute change (path such as Profile.Attributes.Tier, new value).",
            category: "Promotions"
        ) { arguments in
            try scope(arguments).updateAttribute(path: try arguments.string(0), value: JSONValue(try arguments.value(1)))
            return .null
        }
        environment.register(
            "createCoupon", Signature([.value(.string)], returns: .null),
            description: "Creates a single-use coupon of this campaign for a profile integration id (\"\": the session's profile); the shop gets a couponCreated effect and the coupon in createdCoupons.",
            category: "Promotions"
        ) { arguments in
            try scope(arguments).createCoupon(recipient: try arguments.string(0))
            return .null
        }
        environment.register(
            "customEffect", Signature([.value(.string), .value(.any)], returns: .null),
            description: "Emits a custom effect with a name and a payload (a map, e.g. built with kv) for the shop to interpret.",
            category: "Promotions"
        ) { arguments in
            try scope(arguments).customEffect(name: try arguments.string(0), payload: JSONValue(try arguments.value(1)))
            return .null
        }
    }

    private static func registerWebhooks(in environment: inout Environment) {
        environment.register(
            "triggerWebhook", Signature([.value(.decimal)], repeating: .any, returns: .null),
            description: "Calls the webhook with this id, its payload filled with the further arguments (one per declared parameter, in order); sent after the session's update is committed.",
            category: "Promotions"
        ) { arguments in
            let values = try (1..<arguments.count).map { JSONValue(try arguments.value($0)) }
            try scope(arguments).triggerWebhook(id: NSDecimalNumber(decimal: try arguments.decimal(0)).int64Value,
                                                arguments: values)
            return .null
        }
    }

    /// The first argument as an entity id (audience, giveaway pool).
    private static func entityId(_ arguments: Arguments) throws -> Int64 {
        NSDecimalNumber(decimal: try arguments.decimal(0)).int64Value
    }

    static func scope(_ arguments: Arguments) throws -> RuleScope {
        try arguments.context(as: RuleScope.self)
    }
}
