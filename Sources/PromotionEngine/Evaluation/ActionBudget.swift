import Foundation

/// Which counter a budget on loyalty points or referrals counts in: the campaign's or the session profile's,
/// over the campaign's life (`periodKey` "") or in one ``BudgetPeriod`` (its key).
public struct ActionCounterKey: Sendable, Hashable, Codable, Comparable {
    public var action: LimitAction
    public var perProfile: Bool
    public var periodKey: String

    public init(action: LimitAction, perProfile: Bool = false, periodKey: String = "") {
        (self.action, self.perProfile, self.periodKey) = (action, perProfile, periodKey)
    }

    /// The order a commit touches counter rows in, so two commits never wait on each other in a cycle.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.action.rawValue, lhs.perProfile ? 1 : 0, lhs.periodKey) < (rhs.action.rawValue, rhs.perProfile ? 1 : 0, rhs.periodKey)
    }
}

extension LimitAction {
    /// Budgets counted by ``ActionBudget``: points added and deducted by rules (sums of points, as the spec's
    /// `createdLoyaltyPointsCount` sums them; its `…Effect` actions count effects), referrals redeemed and created
    /// (counts).
    public var isCountedPerAction: Bool {
        switch self {
        case .createLoyaltyPoints, .redeemLoyaltyPoints, .redeemReferral, .createReferral: true
        default: false
        }
    }
}

/// A campaign's budgets on loyalty points and referrals for one evaluation: each counter's maximum (what the
/// commit re-checks in one guarded statement per counter) and what is left of them after the snapshot's use.
///
/// Counted only while a budget is defined (as Talon.One counts budgets): campaign-wide (`entities` absent) or
/// per profile (`["Profile"]`), overall or per period; `redeemReferral` also per referral (`["Referral"]`, the
/// code's own uses). Per-profile budgets do not apply to anonymous sessions.
public struct ActionBudget: Sendable, Hashable {
    public var maximums: [ActionCounterKey: Decimal] = [:]
    /// What is left per action: the least of its campaign-wide counters, and of the profile's.
    public var leftForCampaign: [LimitAction: Decimal] = [:]
    public var leftForProfile: [LimitAction: Decimal] = [:]
    /// `redeemReferral` per referral: how often one code may be redeemed.
    public var maximumPerReferral: Int?

    public init(limits: [LimitConfig], used: [ActionCounterKey: Decimal] = [:], hasProfile: Bool, now: Date,
                timeZone: TimeZone) {
        for limit in limits where limit.action.isCountedPerAction {
            if limit.entities == [.referral], limit.action == .redeemReferral {
                let maximum = NSDecimalNumber(decimal: limit.limit).intValue
                maximumPerReferral = min(maximumPerReferral ?? .max, maximum)
                continue
            }
            guard limit.entities.isEmpty || (limit.isPerProfile && hasProfile) else { continue }
            let key = ActionCounterKey(action: limit.action, perProfile: limit.isPerProfile,
                                       periodKey: limit.period?.key(at: now, timeZone: timeZone) ?? "")
            let maximum = min(maximums[key] ?? limit.limit, limit.limit)
            maximums[key] = maximum
            let left = max(0, maximum - (used[key] ?? 0))
            if key.perProfile {
                leftForProfile[key.action] = min(leftForProfile[key.action] ?? left, left)
            } else {
                leftForCampaign[key.action] = min(leftForCampaign[key.action] ?? left, left)
            }
        }
    }

    /// What the campaign's rules may still do of `action` (nil: no budget limits it).
    public func left(_ action: LimitAction) -> Decimal? {
        switch (leftForCampaign[action], leftForProfile[action]) {
        case (let campaign?, let profile?): min(campaign, profile)
        case (let campaign, let profile): campaign ?? profile
        }
    }

    /// Why the session's referral code may not be redeemed in this campaign any more, if a budget says so.
    func refusal(of referral: Referral) -> ReferralRejectionReason? {
        if let left = leftForCampaign[.redeemReferral], left < 1 { return .campaignLimitReached }
        if let left = leftForProfile[.redeemReferral], left < 1 { return .profileLimitReached }
        if let maximum = maximumPerReferral, referral.usageCounter >= maximum { return .referralLimitReached }
        return nil
    }

    /// Leaves out the `referralCreated` effects past the `createReferral` budget (the rules' other effects stay,
    /// as with `createCoupon`).
    func keepingCreatedReferralsWithin(_ effects: [Effect]) -> [Effect] {
        guard var left = self.left(.createReferral) else { return effects }
        return effects.filter { effect in
            guard effect.type == .referralCreated else { return true }
            guard left >= 1 else { return false }
            left -= 1
            return true
        }
    }
}
