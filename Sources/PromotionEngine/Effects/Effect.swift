import Foundation

/// One thing the shop should do, produced by a rule or by the engine's own checks: where it comes from
/// (campaign, ruleset, rule, coupon) and what it is (``EffectKind``, typed).
///
/// Its document form (Talon.One's v2 effect object, `effectType` + `props`) is in `Effect+Document.swift`.
public struct Effect: Sendable, Hashable {
    public var campaignId: Int64
    public var rulesetId: Int64
    public var ruleIndex: Int
    public var ruleName: String
    public var triggeredByCoupon: Int64?
    public var kind: EffectKind

    public init(origin: EffectOrigin, kind: EffectKind) {
        campaignId = origin.campaignId
        rulesetId = origin.rulesetId
        ruleIndex = origin.ruleIndex
        ruleName = origin.ruleName
        triggeredByCoupon = origin.couponId
        self.kind = kind
    }

    public var type: EffectType { kind.type }

    /// The money a discount effect gives; nil for every other effect.
    public var discountValue: Decimal? { kind.discountValue }

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

    /// Effects that no rule produced (coupon rejections before evaluation).
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
    case couponReservationRequired = "CouponReservationRequired"
    case profileRequired = "ProfileRequired"
}

/// Why the campaign evaluation tree kept a coupon's campaign from applying
/// (`rejectCoupon.props.campaignExclusionReason`, with `CouponPartOfNotTriggeredCampaign`).
public enum CampaignExclusionReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// Another campaign of a highest-discount group gave more.
    case campaignGaveLowerDiscount = "CampaignGaveLowerDiscount"
    /// Another campaign of a lowest-discount group gave less. Not among the values Talon.One lists (it
    /// documents highest-discount groups only); the field is a free string in the spec.
    case campaignGaveHigherDiscount = "CampaignGaveHigherDiscount"
    /// An earlier campaign of a first-campaign (list order) group applied.
    case campaignIsNotFirst = "CampaignIsNotFirst"
    case campaignNotInEvaluationSet = "CampaignNotInEvaluationSet"
}

extension Effect {
    public static func setDiscount(_ origin: EffectOrigin, name: String, value: Decimal, desired: Decimal,
                                   scope: DiscountScope) -> Effect {
        Effect(origin: origin, kind: .setDiscount(.init(name: name, value: value, desiredValue: desired, scope: scope)))
    }

    public static func setDiscountPerItem(
        _ origin: EffectOrigin, name: String, value: Decimal, desired: Decimal, position: Int
    ) -> Effect {
        Effect(origin: origin, kind: .setDiscountPerItem(.init(
            name: name, value: value, desiredValue: desired, position: position
        )))
    }

    public static func setDiscountPerAdditionalCost(
        _ origin: EffectOrigin, name: String, additionalCost: String, additionalCostId: Int64, value: Decimal,
        desired: Decimal
    ) -> Effect {
        Effect(origin: origin, kind: .setDiscountPerAdditionalCost(.init(
            name: name, value: value, desiredValue: desired, additionalCost: additionalCost,
            additionalCostId: additionalCostId
        )))
    }

    public static func acceptCoupon(_ origin: EffectOrigin, code: String) -> Effect {
        Effect(origin: origin, kind: .acceptCoupon(code: code))
    }

    public static func rejectCoupon(_ origin: EffectOrigin, code: String, reason: CouponRejectionReason,
                                    exclusion: CampaignExclusionReason? = nil) -> Effect {
        Effect(origin: origin, kind: .rejectCoupon(.init(code: code, reason: reason, campaignExclusionReason: exclusion)))
    }

    public static func rollbackCoupon(_ origin: EffectOrigin, code: String) -> Effect {
        Effect(origin: origin, kind: .rollbackCoupon(code: code))
    }

    /// A discount given back: the session's (cancel, reopen) or, with `cartItemPosition`, a returned item's.
    public static func rollbackDiscount(_ origin: EffectOrigin, name: String, value: Decimal,
                                        cartItemPosition: Int? = nil) -> Effect {
        Effect(origin: origin, kind: .rollbackDiscount(.init(
            name: name, value: value, scope: cartItemPosition == nil ? .sessionTotal : .itemTotal,
            cartItemPosition: cartItemPosition
        )))
    }

    /// A rule created a coupon (`createCoupon`): its code and recipient; the commit stores it.
    public static func couponCreated(_ origin: EffectOrigin, code: String, profileId: String?) -> Effect {
        Effect(origin: origin, kind: .couponCreated(code: code, profileId: profileId ?? ""))
    }

    public static func addFreeItem(_ origin: EffectOrigin, sku: String, name: String) -> Effect {
        Effect(origin: origin, kind: .addFreeItem(sku: sku, name: name))
    }

    public static func showNotification(_ origin: EffectOrigin, type: String, title: String, body: String) -> Effect {
        Effect(origin: origin, kind: .showNotification(type: type, title: title, body: body))
    }

    public static func updateAttribute(_ origin: EffectOrigin, path: String, value: JSONValue) -> Effect {
        Effect(origin: origin, kind: .updateAttribute(path: path, value: value))
    }

    public static func customEffect(_ origin: EffectOrigin, effectId: Int64, name: String, payload: JSONValue) -> Effect {
        Effect(origin: origin, kind: .customEffect(effectId: effectId, name: name, payload: payload))
    }
}
