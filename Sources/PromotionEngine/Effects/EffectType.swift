/// Every effect type Talon.One defines (the raw value is its wire name, `effectType`).
///
/// The one place that classifies effects: which ones are discounts, which ones only refuse something (and so
/// do not make their campaign "triggered"), and which budget counter (``LimitAction``) each one moves.
/// Types Sconto does not emit yet (loyalty, referrals, audiences, webhooks, giveaways, achievements) are
/// listed so that the features adding them only add an ``EffectKind`` case and its props.
public enum EffectType: String, Sendable, Hashable, CaseIterable, Codable {
    case acceptCoupon, rejectCoupon, rollbackCoupon, couponCreated, reserveCoupon
    case acceptReferral, rejectReferral, rollbackReferral, referralCreated, redeemReferral
    case setDiscount, setDiscountPerItem, setDiscountPerAdditionalCost, setDiscountPerAdditionalCostPerItem
    case rollbackDiscount
    case addFreeItem, showNotification, updateAttribute, customEffect, showBundleMetadata, error
    case addLoyaltyPoints, deductLoyaltyPoints, rollbackAddedLoyaltyPoints, rollbackDeductedLoyaltyPoints
    case changeLoyaltyTierLevel, setLoyaltyPointsExpiryDate, extendLoyaltyPointsExpiryDate
    case addToAudience, removeFromAudience
    case triggerWebhook
    case awardGiveaway, willAwardGiveaway
    case increaseAchievementProgress, rollbackIncreasedAchievementProgress

    /// Effects that give money off the session (their `value` is the discount granted).
    public var isDiscount: Bool {
        switch self {
        case .setDiscount, .setDiscountPerItem, .setDiscountPerAdditionalCost, .setDiscountPerAdditionalCostPerItem:
            true
        default: false
        }
    }

    /// Refusals do not make a campaign "triggered": a campaign whose only effects reject codes did nothing.
    public var isRejection: Bool { self == .rejectCoupon || self == .rejectReferral }

    /// The campaign budget (`LimitConfig.action`) a closing session's effect of this type counts against;
    /// nil when it counts against none. Coupon redemptions count through the accepted coupons instead.
    public var budgetAction: LimitAction? {
        switch self {
        case .setDiscount, .setDiscountPerItem, .setDiscountPerAdditionalCost, .setDiscountPerAdditionalCostPerItem:
            .setDiscount
        case .addFreeItem: .addFreeItem
        case .customEffect: .customEffect
        case .couponCreated: .createCoupon
        case .referralCreated: .createReferral
        case .redeemReferral: .redeemReferral
        case .addLoyaltyPoints: .createLoyaltyPoints
        case .deductLoyaltyPoints: .redeemLoyaltyPoints
        case .triggerWebhook: .callApi
        case .reserveCoupon: .reserveCoupon
        default: nil
        }
    }
}
