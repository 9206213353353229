import Foundation

/// What the engine knows about the session's referral code before rules run.
public struct ReferralContext: Sendable, Hashable {
    /// The referral the session's code names in this application; nil when there is none.
    public var referral: Referral?
    /// The session's profile already redeemed a referral of the referral's campaign (a friend is referred once).
    public var friendAlreadyReferred: Bool
    /// The advocate's profile exists.
    public var advocateExists: Bool

    public init(referral: Referral?, friendAlreadyReferred: Bool = false, advocateExists: Bool = true) {
        (self.referral, self.friendAlreadyReferred, self.advocateExists) =
            (referral, friendAlreadyReferred, advocateExists)
    }
}

/// Decides whether the session's referral code may be used, or why not, in the order a customer would want to
/// hear it.
enum ReferralCheck {
    static func rejection(of referral: Referral, context: ReferralContext, session: CustomerSession, now: Date,
                          runningCampaignIds: Set<Int64>) -> ReferralRejectionReason?
    {
        if !runningCampaignIds.contains(referral.campaignId) { return .referralPartOfNotRunningCampaign }
        if let start = referral.startDate, start > now { return .referralStartDateInFuture }
        if let expiry = referral.expiryDate, expiry <= now { return .referralExpired }
        if referral.usageLimit > 0, referral.usageCounter >= referral.usageLimit { return .referralLimitReached }
        if !context.advocateExists { return .advocateNotFound }
        if let friend = session.profileId, friend == referral.advocateProfileIntegrationId {
            return .referralRecipientIdSameAsAdvocate
        }
        if let recipient = referral.friendProfileIntegrationId, !recipient.isEmpty, recipient != session.profileId {
            return .referralRecipientDoesNotMatch
        }
        if context.friendAlreadyReferred { return .referralCustomerAlreadyReferred }
        return nil
    }

    /// The valid referral (bound for the rules) or the rejection effect of the session's code.
    static func check(_ input: EvaluationInput, runningCampaignIds: Set<Int64>) -> (valid: Referral?, rejection: Effect?) {
        guard let code = input.session.referralCode, !code.isEmpty else { return (nil, nil) }
        guard let referral = input.referralContext.referral else {
            return (nil, .rejectReferral(.engine, code: code, reason: .referralNotFound))
        }
        let origin = EffectOrigin(campaignId: referral.campaignId, rulesetId: 0, ruleIndex: 0, ruleName: "")
        if let reason = rejection(of: referral, context: input.referralContext, session: input.session,
                                  now: input.now, runningCampaignIds: runningCampaignIds)
        {
            return (nil, .rejectReferral(origin, code: code, reason: reason))
        }
        return (referral, nil)
    }
}

extension Effect {
    public static func acceptReferral(_ origin: EffectOrigin, code: String) -> Effect {
        Effect(origin: origin, kind: .acceptReferral(code: code))
    }

    public static func rejectReferral(_ origin: EffectOrigin, code: String, reason: ReferralRejectionReason) -> Effect {
        Effect(origin: origin, kind: .rejectReferral(.init(code: code, reason: reason)))
    }

    public static func rollbackReferral(_ origin: EffectOrigin, code: String) -> Effect {
        Effect(origin: origin, kind: .rollbackReferral(code: code))
    }
}

extension EvaluationOutcome {
    /// A valid referral is accepted when a rule of its campaign used it; otherwise it is refused with why.
    mutating func settleReferral(_ referral: Referral, running: Bool) {
        // Refused already (a `redeemReferral` budget): one rejection says why.
        if effects.contains(where: { $0.type == .rejectReferral }) { return }
        if effects.contains(where: { $0.type == .acceptReferral }) {
            acceptedReferral = AcceptedReferral(
                referralId: referral.id, campaignId: referral.campaignId, code: referral.code,
                advocateProfileIntegrationId: referral.advocateProfileIntegrationId
            )
            return
        }
        let origin = EffectOrigin(campaignId: referral.campaignId, rulesetId: 0, ruleIndex: 0, ruleName: "")
        effects.append(.rejectReferral(origin, code: referral.code,
                                       reason: running ? .referralRejectedByCondition : .referralPartOfNotTriggeredCampaign))
    }
}
