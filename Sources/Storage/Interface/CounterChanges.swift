import Foundation
import PromotionEngine

/// How one closed (or cancelled) session moves a campaign's counters.
public struct CampaignCounterDelta: Sendable, Hashable, Codable {
    public var campaignId: Int64
    public var couponRedemptions = 0
    public var discount: Decimal = 0
    public var discountEffects = 0
    public var addFreeItemEffects = 0
    public var customEffects = 0
    /// Budgets the commit enforces atomically: it fails (and the request is re-evaluated) rather than
    /// let the counters pass them.
    public var maximumCouponRedemptions: Int?
    public var maximumDiscount: Decimal?
    /// Per-profile `redeemCoupon` budget, checked against the closing session's profile.
    public var maximumProfileRedemptions: Int?
    /// The ``BudgetPeriod`` keys this change counts in (campaigns with period budgets), kept in the close
    /// ledger so a cancel gives back to the same periods, and their maximums.
    public var periodKeys: [String]?
    public var periodMaximums: [String: CampaignBudget.PeriodMaximum]?
    /// Per-profile `redeemCoupon` budgets per period key, checked against the closing session's profile.
    public var profilePeriodMaximums: [String: Int]?
    /// Referrals and loyalty points the change moves (absent, as in older ledgers: none).
    public var actions: ActionCounts?
    /// The loyalty and referral budget counters it counts in, each with its maximum (absent: none).
    public var actionCounters: [ActionCounterChange]?

    public init(campaignId: Int64) { self.campaignId = campaignId }

    /// The same change taken back (a cancel or reopen).
    public var reversed: CampaignCounterDelta {
        var delta = self
        delta.couponRedemptions = -couponRedemptions
        delta.discount = -discount
        delta.discountEffects = -discountEffects
        delta.addFreeItemEffects = -addFreeItemEffects
        delta.customEffects = -customEffects
        delta.actions = actions?.reversed
        delta.actionCounters = actionCounters?.map(\.reversed)
        return delta
    }
}

/// What a change moves of the referral and loyalty counters a campaign lists (`referralRedemptionCount`,
/// `createdLoyaltyPointsCount`, …).
public struct ActionCounts: Sendable, Hashable, Codable {
    public var referralRedemptions = 0
    public var referralCreations = 0
    public var createdLoyaltyPoints: Decimal = 0
    public var createdLoyaltyPointsEffects = 0
    public var redeemedLoyaltyPoints: Decimal = 0
    public var redeemedLoyaltyPointsEffects = 0

    public init() {}

    /// What a budget on `action` counts of this change: points for the loyalty actions, a count for referrals.
    public func amount(of action: LimitAction) -> Decimal {
        switch action {
        case .createLoyaltyPoints: createdLoyaltyPoints
        case .redeemLoyaltyPoints: redeemedLoyaltyPoints
        case .redeemReferral: Decimal(referralRedemptions)
        case .createReferral: Decimal(referralCreations)
        default: 0
        }
    }

    public var reversed: ActionCounts {
        var counts = ActionCounts()
        counts.referralRedemptions = -referralRedemptions
        counts.referralCreations = -referralCreations
        counts.createdLoyaltyPoints = -createdLoyaltyPoints
        counts.createdLoyaltyPointsEffects = -createdLoyaltyPointsEffects
        counts.redeemedLoyaltyPoints = -redeemedLoyaltyPoints
        counts.redeemedLoyaltyPointsEffects = -redeemedLoyaltyPointsEffects
        return counts
    }
}

/// One loyalty or referral budget counter a change moves (``ActionCounterKey``): +amount on a close, only while
/// within `maximum` (one guarded statement); −amount on its cancel.
public struct ActionCounterChange: Sendable, Hashable, Codable {
    public var key: ActionCounterKey
    /// Whose counter a per-profile key moves ("" for the campaign's own).
    public var profileId: String
    public var amount: Decimal
    public var maximum: Decimal?

    public init(key: ActionCounterKey, profileId: String = "", amount: Decimal, maximum: Decimal?) {
        (self.key, self.profileId, self.amount, self.maximum) = (key, profileId, amount, maximum)
    }

    public var reversed: ActionCounterChange {
        ActionCounterChange(key: key, profileId: profileId, amount: -amount, maximum: nil)
    }
}

/// The coupons a close redeems (or its cancel gives back): recorded per session, and counted for the session's
/// profile per campaign (overall and in each period key of the close) and per coupon. Services decide it from the
/// close (or the cancelled close's ledger); stores only apply it.
public struct RedemptionChange: Sendable, Hashable {
    /// The session's profile, nil for an anonymous session (recorded, counted for no profile).
    public var profileId: String?
    public var coupons: [EvaluationOutcome.AcceptedCoupon]
    /// +1 for a close, −1 for a cancel or reopen that gives the redemptions back.
    public var direction: Int
    public var periodKeys: [String]

    public init(profileId: String?, coupons: [EvaluationOutcome.AcceptedCoupon], direction: Int, periodKeys: [String]) {
        (self.profileId, self.coupons, self.direction, self.periodKeys) = (profileId, coupons, direction, periodKeys)
    }

    /// Redemptions per campaign, in campaign order (the order rows are touched in).
    public var byCampaign: [(campaignId: Int64, count: Int)] {
        Dictionary(grouping: coupons, by: \.campaignId).map { ($0.key, $0.value.count * direction) }
            .sorted { $0.campaignId < $1.campaignId }
    }

    /// Redemptions per coupon, in coupon order.
    public var byCoupon: [(couponId: Int64, count: Int)] {
        Dictionary(grouping: coupons, by: \.couponId).map { ($0.key, $0.value.count * direction) }
            .sorted { $0.couponId < $1.couponId }
    }
}
