import Foundation
import PromotionEngine
import Storage

/// `IntegrationRequest`: the session update plus which extra entities the response should carry.
struct IntegrationRequest: Decodable {
    var customerSession: SessionUpdate
    var responseContent: [ResponseContent]?

    enum ResponseContent: String, Decodable {
        case customerSession, customerProfile, coupons, triggeredCampaigns, referral, loyalty, event
        case awardedGiveaways, ruleFailureReasons, previousReturns, campaignEligibility

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let value = Self(rawValue: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown responseContent '\(text)'")
            }
            self = value
        }
    }
}

/// `CustomerSessionV2`. The spec requires the legacy single-code `coupon` and `referral` strings and
/// `cartItemAdditionalCostTotal`, which neither official SDK models; the spec wins.
struct CustomerSessionBody: Encodable, Sendable {
    var id: Int64
    var created: Date
    var integrationId: String
    var applicationId: Int64
    var profileId: String
    var storeIntegrationId: String?
    var couponCodes: [String]
    var coupon: String
    var referralCode: String
    var referral: String
    var loyaltyCards: [String]
    var state: SessionState
    var cartItems: [CartItem]
    var additionalCosts: [String: AdditionalCost]
    var identifiers: [String]
    var attributes: [String: JSONValue]
    var firstSession: Bool
    var updateCount: Int
    var total: Decimal
    var cartItemTotal: Decimal
    var additionalCostTotal: Decimal
    var cartItemAdditionalCostTotal: Decimal
    var updated: Date

    init(_ session: CustomerSession) {
        id = session.id
        created = session.created
        integrationId = session.integrationId
        applicationId = session.applicationId
        profileId = session.profileId ?? ""
        storeIntegrationId = session.storeIntegrationId
        couponCodes = session.couponCodes
        coupon = session.couponCodes.first ?? ""
        referralCode = session.referralCode ?? ""
        referral = referralCode
        loyaltyCards = session.loyaltyCards
        state = session.state
        cartItems = session.cartItems
        additionalCosts = session.additionalCosts
        identifiers = session.identifiers
        attributes = session.attributes
        firstSession = session.firstSession
        updateCount = session.updateCount
        total = session.total
        cartItemTotal = session.cartItemTotal
        additionalCostTotal = session.additionalCostTotal
        cartItemAdditionalCostTotal = session.cartItemAdditionalCostTotal
        updated = session.updated
    }
}

/// `CustomerProfile`.
struct CustomerProfileBody: Encodable, Sendable {
    var id: Int64
    var created: Date
    var integrationId: String
    var attributes: [String: JSONValue]
    var accountId: Int64
    var closedSessions: Int
    var totalSales: Decimal
    var audienceMemberships: [JSONValue] = []
    var lastActivity: Date
    var sandbox = false

    init(_ profile: CustomerProfile) {
        id = profile.id
        created = profile.created
        integrationId = profile.integrationId
        attributes = profile.attributes
        accountId = profile.accountId
        closedSessions = profile.closedSessions
        totalSales = profile.totalSales
        lastActivity = profile.lastActivity
    }
}

/// `Event`. Its `effects` are the v1 effect shape, an array per effect (see ``LegacyEffectBody``): the spec types
/// them as arrays, while the SDKs' models say objects; the spec wins.
struct EventBody: Encodable, Sendable {
    var id: Int64
    var created: Date
    var applicationId: Int64
    var profileId: String?
    var type: String
    var attributes: [String: JSONValue]
    var sessionId: String?
    var effects: [LegacyEffectBody]
    var ledgerEntries: [JSONValue] = []

    init(_ event: SessionEvent) {
        id = event.id
        created = event.created
        applicationId = event.applicationId
        profileId = event.profileId
        type = event.type.rawValue
        attributes = event.attributes
        sessionId = event.sessionId
        effects = event.effects.map(LegacyEffectBody.init)
    }
}

/// An effect in the v1 shape Talon.One's `Event.effects` keeps: `[campaignId, rulesetId, ruleIndex, [effectType, props]]`.
struct LegacyEffectBody: Encodable, Sendable {
    var effect: Effect

    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(effect.campaignId)
        try container.encode(effect.rulesetId)
        try container.encode(effect.ruleIndex)
        var arguments = container.nestedUnkeyedContainer()
        try arguments.encode(effect.type.rawValue)
        try arguments.encode(effect.kind.props)
    }
}

/// `IntegrationStateV2`: effects always; the rest when asked for in `responseContent`.
struct IntegrationStateBody: Encodable, Sendable {
    var effects: [Effect]
    var createdCoupons: [CouponBody] = []
    var createdReferrals: [ReferralBody] = []
    var customerSession: CustomerSessionBody?
    var customerProfile: CustomerProfileBody?
    var event: EventBody?
    var triggeredCampaigns: [CampaignBody]?
    var coupons: [CouponBody]?
    var ruleFailureReasons: [RuleFailureBody]?
    var campaignEligibility: [CampaignEligibilityBody]?
    var previousReturns: [ReturnBody]?
    /// The session's referral (`responseContent: ["referral"]`).
    var referral: InventoryReferralBody?
    /// The codes the close took (`responseContent: ["awardedGiveaways"]`).
    var awardedGiveaways: [GiveawayBody]?
    /// The return a `returnCartItems` request recorded.
    var `return`: ReturnBody?
    /// False when ``WireCoding`` writes the effects itself and splices them in.
    var encodesEffects = true

    private enum CodingKeys: String, CodingKey {
        case effects, createdCoupons, createdReferrals, customerSession, customerProfile, event, triggeredCampaigns
        case coupons, ruleFailureReasons, campaignEligibility, previousReturns, `return`, referral, awardedGiveaways
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if encodesEffects { try container.encode(effects, forKey: .effects) }
        try container.encode(createdCoupons, forKey: .createdCoupons)
        try container.encode(createdReferrals, forKey: .createdReferrals)
        try container.encodeIfPresent(customerSession, forKey: .customerSession)
        try container.encodeIfPresent(customerProfile, forKey: .customerProfile)
        try container.encodeIfPresent(event, forKey: .event)
        try container.encodeIfPresent(triggeredCampaigns, forKey: .triggeredCampaigns)
        try container.encodeIfPresent(coupons, forKey: .coupons)
        try container.encodeIfPresent(ruleFailureReasons, forKey: .ruleFailureReasons)
        try container.encodeIfPresent(campaignEligibility, forKey: .campaignEligibility)
        try container.encodeIfPresent(previousReturns, forKey: .previousReturns)
        try container.encodeIfPresent(`return`, forKey: .return)
        try container.encodeIfPresent(referral, forKey: .referral)
        try container.encodeIfPresent(awardedGiveaways, forKey: .awardedGiveaways)
    }
}

