import Foundation
import PromotionEngine

/// The SDK's `Campaign`: settings, identity, state as shown, counters.
struct CampaignBody: Encodable, Sendable {
    var id: Int64
    var created: Date
    var updated: Date
    var applicationId: Int64
    var userId: Int64
    var name: String
    var description: String
    var startTime: Date?
    var endTime: Date?
    var attributes: [String: JSONValue]
    var state: CampaignState
    var activeRulesetId: Int64?
    var tags: [String]
    /// Sconto never re-evaluates a session on return (returns roll back the returned items' discounts).
    var reevaluateOnReturn = false
    var features: [CampaignFeature]
    var couponSettings: JSONValue?
    var referralSettings: JSONValue?
    var limits: [LimitConfig]
    var campaignGroups: [Int64]
    var type: String
    var frontendState: String
    var storesImported = false
    /// The campaign-wide, whole-life budgets and what they used (the counters below, as the spec now lists them).
    var budgets: [Budget]
    var couponRedemptionCount: Int
    var referralRedemptionCount: Int
    var discountCount: Decimal
    var discountEffectCount: Int
    var couponCreationCount: Int
    var customEffectCount: Int
    var referralCreationCount: Int
    var addFreeItemEffectCount: Int
    var awardedGiveawaysCount = 0
    var createdLoyaltyPointsCount: Decimal
    var createdLoyaltyPointsEffectCount: Int
    var redeemedLoyaltyPointsCount: Decimal
    var redeemedLoyaltyPointsEffectCount: Int
    var callApiEffectCount = 0
    var reservecouponEffectCount = 0
    var lastActivity: Date?
    /// Only in the Integration API's listing (`IntegrationCampaign`): the active ruleset's rules.
    var rules: [Rule]?

    struct Budget: Encodable, Sendable {
        var action: LimitAction
        var limit: Decimal
        var counter: Decimal
    }

    struct Rule: Encodable, Sendable {
        var title: String
        var displayDescription: String?
    }

    init(_ campaign: Campaign, now: Date = Date()) {
        let settings = campaign.settings
        id = campaign.id
        created = campaign.created
        updated = campaign.updated
        applicationId = campaign.applicationId
        userId = campaign.userId
        name = settings.name
        description = settings.description ?? ""
        startTime = settings.startTime
        endTime = settings.endTime
        attributes = settings.attributes ?? [:]
        state = settings.state
        activeRulesetId = campaign.activeRulesetId
        tags = settings.tags
        features = settings.features
        couponSettings = settings.couponSettings
        referralSettings = settings.referralSettings
        limits = settings.limits
        campaignGroups = settings.campaignGroups ?? []
        type = settings.type ?? "advanced"
        frontendState = campaign.frontendState(at: now)
        couponRedemptionCount = campaign.counters.couponRedemptionCount
        discountCount = campaign.counters.discountCount
        discountEffectCount = campaign.counters.discountEffectCount
        couponCreationCount = campaign.counters.couponCreationCount
        customEffectCount = campaign.counters.customEffectCount
        addFreeItemEffectCount = campaign.counters.addFreeItemEffectCount
        referralRedemptionCount = campaign.counters.referralRedemptionCount
        referralCreationCount = campaign.counters.referralCreationCount
        createdLoyaltyPointsCount = campaign.counters.createdLoyaltyPoints
        createdLoyaltyPointsEffectCount = campaign.counters.createdLoyaltyPointsEffectCount
        redeemedLoyaltyPointsCount = campaign.counters.redeemedLoyaltyPoints
        redeemedLoyaltyPointsEffectCount = campaign.counters.redeemedLoyaltyPointsEffectCount
        lastActivity = campaign.counters.lastActivity
        budgets = settings.limits.compactMap { limit in
            guard limit.entities.isEmpty, limit.period == nil,
                  let counter = campaign.counters.counter(of: limit.action) else { return nil }
            return Budget(action: limit.action, limit: limit.limit, counter: counter)
        }
    }
}

/// The SDK's `Ruleset`.
struct RulesetBody: Encodable, Sendable {
    var id: Int64
    var created: Date
    var userId: Int64
    var campaignId: Int64
    var rules: [RuleDefinition]
    var strikethroughRules: [RuleDefinition]
    var bindings: [JSONValue]
    var rbVersion = "v2"

    init(_ ruleset: Ruleset) {
        id = ruleset.id
        created = ruleset.created
        userId = ruleset.userId
        campaignId = ruleset.campaignId
        rules = ruleset.rules
        strikethroughRules = ruleset.strikethroughRules
        bindings = ruleset.bindings
    }
}

/// The SDK's `Coupon`.
struct CouponBody: Encodable, Sendable {
    var id: Int64
    var created: Date
    var campaignId: Int64
    var value: String
    var usageLimit: Int
    var discountLimit: Decimal?
    var reservationLimit: Int?
    var startDate: Date?
    var expiryDate: Date?
    var limits: [LimitConfig]
    var usageCounter: Int
    var discountCounter: Decimal
    var discountRemainder: Decimal?
    var attributes: [String: JSONValue]
    var recipientIntegrationId: String?
    var batchId: String?
    var reservationCounter: Int
    var isReservationMandatory: Bool
    var implicitlyReserved: Bool
    /// Only in session responses (`IntegrationCoupon`): redemptions by the session's profile.
    var profileRedemptionCount: Int?

    init(_ coupon: Coupon, profileRedemptionCount: Int? = nil) {
        self.profileRedemptionCount = profileRedemptionCount
        id = coupon.id
        created = coupon.created
        campaignId = coupon.campaignId
        value = coupon.value
        usageLimit = coupon.usageLimit
        discountLimit = coupon.discountLimit
        reservationLimit = coupon.reservationLimit
        startDate = coupon.startDate
        expiryDate = coupon.expiryDate
        limits = coupon.limits ?? []
        usageCounter = coupon.usageCounter
        discountCounter = coupon.discountCounter ?? 0
        discountRemainder = coupon.discountLimit.map { max($0 - (coupon.discountCounter ?? 0), 0) }
        attributes = coupon.attributes ?? [:]
        recipientIntegrationId = coupon.recipientIntegrationId
        batchId = coupon.batchId
        reservationCounter = coupon.reservationCounter
        isReservationMandatory = coupon.isReservationMandatory
        implicitlyReserved = coupon.implicitlyReserved
    }
}

extension CampaignCounters {
    /// The counter a campaign-wide budget on `action` reads, nil for an action not counted per campaign.
    func counter(of action: LimitAction) -> Decimal? {
        switch action {
        case .redeemCoupon: Decimal(couponRedemptionCount)
        case .setDiscount: discountCount
        case .setDiscountEffect: Decimal(discountEffectCount)
        case .createCoupon: Decimal(couponCreationCount)
        case .redeemReferral: Decimal(referralRedemptionCount)
        case .createReferral: Decimal(referralCreationCount)
        case .createLoyaltyPoints: createdLoyaltyPoints
        case .redeemLoyaltyPoints: redeemedLoyaltyPoints
        case .customEffect: Decimal(customEffectCount)
        case .addFreeItem: Decimal(addFreeItemEffectCount)
        case .callApi, .reserveCoupon: nil
        }
    }
}
