import Foundation

/// One thing the shop should do, produced by a rule (Integration API v2 effect shape).
public struct Effect: Sendable, Hashable, Codable {
    public var campaignId: Int64
    public var rulesetId: Int64
    public var ruleIndex: Int
    public var ruleName: String
    public var effectType: String
    public var triggeredByCoupon: Int64?
    public var props: [String: JSONValue]

    public init(
        origin: EffectOrigin, effectType: String, props: [String: JSONValue]
    ) {
        campaignId = origin.campaignId
        rulesetId = origin.rulesetId
        ruleIndex = origin.ruleIndex
        ruleName = origin.ruleName
        triggeredByCoupon = origin.couponId
        self.effectType = effectType
        self.props = props
    }

    /// The money a `setDiscount*` effect gives; nil for every other effect.
    public var discountValue: Decimal? {
        guard effectType.hasPrefix("setDiscount"), case .number(let value)? = props["value"] else { return nil }
        return value
    }

    public var origin: EffectOrigin {
        EffectOrigin(
            campaignId: campaignId, rulesetId: rulesetId, ruleIndex: ruleIndex, ruleName: ruleName,
            couponId: triggeredByCoupon
        )
    }
}

/// Which campaign, ruleset version, rule and coupon an effect comes from.
public struct EffectOrigin: Sendable, Hashable {
    public var campaignId: Int64
    public var rulesetId: Int64
    public var ruleIndex: Int
    public var ruleName: String
    public var couponId: Int64?

    public init(campaignId: Int64, rulesetId: Int64, ruleIndex: Int, ruleName: String, couponId: Int64? = nil) {
        self.campaignId = campaignId
        self.rulesetId = rulesetId
        self.ruleIndex = ruleIndex
        self.ruleName = ruleName
        self.couponId = couponId
    }

    /// Effects that no rule produced (coupon rejections before evaluation) carry campaign 0 and rule -1…
    /// Talon.One uses the campaign that was being evaluated; where there is none, zeros.
    public static let engine = EffectOrigin(campaignId: 0, rulesetId: 0, ruleIndex: 0, ruleName: "")
}

/// Why a coupon code was refused (`rejectCoupon.props.rejectionReason`).
public enum CouponRejectionReason: String, Sendable, Hashable, Codable, CaseIterable {
    case couponNotFound = "CouponNotFound"
    case couponPartOfNotRunningCampaign = "CouponPartOfNotRunningCampaign"
    case couponPartOfNotTriggeredCampaign = "CouponPartOfNotTriggeredCampaign"
    case couponExpired = "CouponExpired"
    case couponStartDateInFuture = "CouponStartDateInFuture"
    case couponLimitReached = "CouponLimitReached"
    case campaignLimitReached = "CampaignLimitReached"
    case profileLimitReached = "ProfileLimitReached"
    case couponRecipientDoesNotMatch = "CouponRecipientDoesNotMatch"
    case couponRejectedByCondition = "CouponRejectedByCondition"
    case effectCouldNotBeApplied = "EffectCouldNotBeApplied"
    case profileRequired = "ProfileRequired"
}

extension Effect {
    public static func setDiscount(_ origin: EffectOrigin, name: String, value: Decimal, desired: Decimal, scope: String)
        -> Effect
    {
        var props: [String: JSONValue] = ["name": .string(name), "value": .number(value), "scope": .string(scope)]
        if desired != value { props["desiredValue"] = .number(desired) }
        return Effect(origin: origin, effectType: "setDiscount", props: props)
    }

    public static func setDiscountPerItem(
        _ origin: EffectOrigin, name: String, value: Decimal, desired: Decimal, position: Int, scope: String
    ) -> Effect {
        var props: [String: JSONValue] = [
            "name": .string(name), "value": .number(value), "position": .number(Decimal(position)),
            "scope": .string(scope),
        ]
        if desired != value { props["desiredValue"] = .number(desired) }
        return Effect(origin: origin, effectType: "setDiscountPerItem", props: props)
    }

    public static func setDiscountPerAdditionalCost(
        _ origin: EffectOrigin, name: String, additionalCost: String, value: Decimal, desired: Decimal
    ) -> Effect {
        var props: [String: JSONValue] = [
            "name": .string(name), "additionalCost": .string(additionalCost), "value": .number(value),
            "additionalCostId": .number(0),
        ]
        if desired != value { props["desiredValue"] = .number(desired) }
        return Effect(origin: origin, effectType: "setDiscountPerAdditionalCost", props: props)
    }

    public static func acceptCoupon(_ origin: EffectOrigin, code: String) -> Effect {
        Effect(origin: origin, effectType: "acceptCoupon", props: ["value": .string(code)])
    }

    public static func rejectCoupon(_ origin: EffectOrigin, code: String, reason: CouponRejectionReason) -> Effect {
        Effect(origin: origin, effectType: "rejectCoupon", props: [
            "value": .string(code), "rejectionReason": .string(reason.rawValue),
        ])
    }

    public static func rollbackCoupon(_ origin: EffectOrigin, code: String) -> Effect {
        Effect(origin: origin, effectType: "rollbackCoupon", props: ["value": .string(code)])
    }

    /// A discount given back: the session's (cancel, reopen) or, with `cartItemPosition`, a returned item's.
    public static func rollbackDiscount(_ origin: EffectOrigin, name: String, value: Decimal,
                                        cartItemPosition: Int? = nil) -> Effect {
        var props: [String: JSONValue] = [
            "name": .string(name), "value": .number(value), "scope": .string(cartItemPosition == nil ? "sessionTotal" : "itemTotal"),
        ]
        if let cartItemPosition { props["cartItemPosition"] = .number(Decimal(cartItemPosition)) }
        return Effect(origin: origin, effectType: "rollbackDiscount", props: props)
    }

    /// A rule created a coupon (`createCoupon`): its code and recipient; the commit stores it.
    public static func couponCreated(_ origin: EffectOrigin, code: String, profileId: String?) -> Effect {
        Effect(origin: origin, effectType: "couponCreated", props: [
            "value": .string(code), "profileId": .string(profileId ?? ""),
        ])
    }

    public static func addFreeItem(_ origin: EffectOrigin, sku: String, name: String) -> Effect {
        Effect(origin: origin, effectType: "addFreeItem", props: ["sku": .string(sku), "name": .string(name)])
    }

    public static func showNotification(_ origin: EffectOrigin, type: String, title: String, body: String) -> Effect {
        Effect(origin: origin, effectType: "showNotification", props: [
            "notificationType": .string(type), "title": .string(title), "body": .string(body),
        ])
    }

    public static func updateAttribute(_ origin: EffectOrigin, path: String, value: JSONValue) -> Effect {
        Effect(origin: origin, effectType: "updateAttribute", props: ["path": .string(path), "value": value])
    }

    public static func customEffect(_ origin: EffectOrigin, name: String, payload: JSONValue) -> Effect {
        Effect(origin: origin, effectType: "customEffect", props: [
            "name": .string(name), "payload": payload, "effectId": .number(0),
        ])
    }
}
