import Foundation

/// What an effect asks the shop to do, with its typed props. One case per effect type Sconto emits; the
/// features still to come add theirs (``EffectType`` lists every type Talon.One defines).
public enum EffectKind: Sendable, Hashable {
    case acceptCoupon(code: String)
    case rejectCoupon(CouponRejection)
    case rollbackCoupon(code: String)
    /// A rule created a coupon for a profile (`""`: nobody, the session was anonymous).
    case couponCreated(code: String, profileId: String)
    /// A closing session's rule set a coupon code aside for its customer.
    case reserveCoupon(CouponReservationEffect)
    case setDiscount(SessionDiscount)
    case setDiscountPerItem(ItemDiscount)
    case setDiscountPerAdditionalCost(AdditionalCostDiscount)
    case rollbackDiscount(DiscountRollback)
    case addFreeItem(sku: String, name: String)
    case showNotification(type: String, title: String, body: String)
    case updateAttribute(path: String, value: JSONValue)
    case customEffect(effectId: Int64, name: String, payload: JSONValue)
    case addLoyaltyPoints(LoyaltyPointsChange)
    case deductLoyaltyPoints(LoyaltyPointsChange)
    case rollbackAddedLoyaltyPoints(LoyaltyPointsChange)
    case rollbackDeductedLoyaltyPoints(LoyaltyPointsChange)
    case changeLoyaltyTierLevel(LoyaltyTierChange)
    case acceptReferral(code: String)
    case rejectReferral(ReferralRejection)
    case rollbackReferral(code: String)
    /// A closing session's rule made a referral code with its customer as advocate.
    case referralCreated(ReferralCreation)
    case addToAudience(AudienceEffect)
    case removeFromAudience(AudienceEffect)
    case triggerWebhook(WebhookTrigger)
    /// A closed session's award: the code the commit took from the pool.
    case awardGiveaway(GiveawayAward)
    /// An award announced by an open session (no code taken yet).
    case willAwardGiveaway(GiveawayAward)
    case increaseAchievementProgress(AchievementProgress)
    case rollbackIncreasedAchievementProgress(AchievementRollback)
    /// `setLoyaltyPointsExpiryDate` or `extendLoyaltyPointsExpiryDate`, as its change says.
    case loyaltyPointsExpiry(LoyaltyExpiryChange)

    public var type: EffectType {
        switch self {
        case .acceptCoupon: .acceptCoupon
        case .rejectCoupon: .rejectCoupon
        case .rollbackCoupon: .rollbackCoupon
        case .couponCreated: .couponCreated
        case .reserveCoupon: .reserveCoupon
        case .setDiscount: .setDiscount
        case .setDiscountPerItem: .setDiscountPerItem
        case .setDiscountPerAdditionalCost: .setDiscountPerAdditionalCost
        case .rollbackDiscount: .rollbackDiscount
        case .addFreeItem: .addFreeItem
        case .showNotification: .showNotification
        case .updateAttribute: .updateAttribute
        case .customEffect: .customEffect
        case .addLoyaltyPoints: .addLoyaltyPoints
        case .deductLoyaltyPoints: .deductLoyaltyPoints
        case .rollbackAddedLoyaltyPoints: .rollbackAddedLoyaltyPoints
        case .rollbackDeductedLoyaltyPoints: .rollbackDeductedLoyaltyPoints
        case .changeLoyaltyTierLevel: .changeLoyaltyTierLevel
        case .acceptReferral: .acceptReferral
        case .rejectReferral: .rejectReferral
        case .rollbackReferral: .rollbackReferral
        case .referralCreated: .referralCreated
        case .addToAudience: .addToAudience
        case .removeFromAudience: .removeFromAudience
        case .triggerWebhook: .triggerWebhook
        case .awardGiveaway: .awardGiveaway
        case .willAwardGiveaway: .willAwardGiveaway
        case .increaseAchievementProgress: .increaseAchievementProgress
        case .rollbackIncreasedAchievementProgress: .rollbackIncreasedAchievementProgress
        case .loyaltyPointsExpiry(let change): change.type
        }
    }

    /// The money a discount gives (what ``EffectType/isDiscount`` effects carry as `value`).
    public var discountValue: Decimal? {
        switch self {
        case .setDiscount(let discount): discount.value
        case .setDiscountPerItem(let discount): discount.value
        case .setDiscountPerAdditionalCost(let discount): discount.value
        default: nil
        }
    }

    /// The name a discount or its rollback carries.
    public var discountName: String? {
        switch self {
        case .setDiscount(let discount): discount.name
        case .setDiscountPerItem(let discount): discount.name
        case .setDiscountPerAdditionalCost(let discount): discount.name
        case .rollbackDiscount(let rollback): rollback.name
        default: nil
        }
    }
}

/// Where a discount is taken from (`scope` of `setDiscount`, `setDiscountPerItem` and `rollbackDiscount`).
public enum DiscountScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// The whole session: cart items first, then additional costs.
    case sessionTotal
    case cartItems
    case additionalCosts
    /// One cart item (per-item discounts and their rollbacks).
    case itemTotal
    /// One cart item's unit price (Talon.One's per-item scope for price-based discounts).
    case price
}

public struct CouponRejection: Sendable, Hashable {
    public var code: String
    public var reason: CouponRejectionReason
    public var details: String?
    public var campaignExclusionReason: CampaignExclusionReason?

    public init(code: String, reason: CouponRejectionReason, details: String? = nil,
                campaignExclusionReason: CampaignExclusionReason? = nil) {
        self.code = code
        self.reason = reason
        self.details = details
        self.campaignExclusionReason = campaignExclusionReason
    }
}

public struct SessionDiscount: Sendable, Hashable {
    public var name: String
    /// What was granted (rounded, capped by totals and budgets).
    public var value: Decimal
    /// What the rule asked for; written only when it differs from `value`.
    public var desiredValue: Decimal
    public var scope: DiscountScope

    public init(name: String, value: Decimal, desiredValue: Decimal, scope: DiscountScope) {
        (self.name, self.value, self.desiredValue, self.scope) = (name, value, desiredValue, scope)
    }
}

public struct ItemDiscount: Sendable, Hashable {
    public var name: String
    public var value: Decimal
    public var desiredValue: Decimal
    /// The cart item's index in the session's `cartItems`.
    public var position: Int
    public var scope: DiscountScope

    public init(name: String, value: Decimal, desiredValue: Decimal, position: Int, scope: DiscountScope = .itemTotal) {
        (self.name, self.value, self.desiredValue, self.position, self.scope) = (name, value, desiredValue, position, scope)
    }
}

public struct AdditionalCostDiscount: Sendable, Hashable {
    public var name: String
    public var value: Decimal
    public var desiredValue: Decimal
    /// The additional cost's name (the key in the session's `additionalCosts`).
    public var additionalCost: String
    /// The additional cost's definition id; 0 while Sconto has no additional-cost definitions.
    public var additionalCostId: Int64

    public init(name: String, value: Decimal, desiredValue: Decimal, additionalCost: String, additionalCostId: Int64) {
        (self.name, self.value, self.desiredValue) = (name, value, desiredValue)
        (self.additionalCost, self.additionalCostId) = (additionalCost, additionalCostId)
    }
}

public struct DiscountRollback: Sendable, Hashable {
    public var name: String
    public var value: Decimal
    public var scope: DiscountScope
    /// Set when a returned cart item's own discount is given back.
    public var cartItemPosition: Int?

    public init(name: String, value: Decimal, scope: DiscountScope, cartItemPosition: Int? = nil) {
        (self.name, self.value, self.scope, self.cartItemPosition) = (name, value, scope, cartItemPosition)
    }
}

/// `triggerWebhook`: a rule called a webhook with these arguments (in its `params` order). The arguments are
/// not part of the effect's props (the spec shows only the webhook's id and name); the commit renders the
/// request from them, and a stored effect read back has none.
public struct WebhookTrigger: Sendable, Hashable {
    public var webhookId: Int64
    public var webhookName: String
    public var arguments: [JSONValue]

    public init(webhookId: Int64, webhookName: String, arguments: [JSONValue] = []) {
        (self.webhookId, self.webhookName, self.arguments) = (webhookId, webhookName, arguments)
    }
}
