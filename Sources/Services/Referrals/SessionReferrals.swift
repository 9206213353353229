import Foundation
import PromotionEngine
import Storage

/// The referral steps of a session update, kept here so the session path only calls them.
extension SessionCommit {
    /// A close redeems the referral the evaluation accepted and keeps it in the close ledger for a cancel.
    mutating func redeemReferral(_ accepted: AcceptedReferral?) {
        guard let accepted, case .set(var ledger) = closeLedger else { return }
        ledger.acceptedReferral = accepted
        closeLedger = .set(ledger)
        referralRedemption = ReferralRedemption(referral: accepted, friendProfileIntegrationId: session.profileId,
                                                direction: 1)
    }

    /// A cancel or reopen gives back the referral the close redeemed (`rollbackReferral`).
    mutating func rollBackReferral(of ledger: CloseLedger?, friend: String?) {
        guard let accepted = ledger?.acceptedReferral else { return }
        let origin = EffectOrigin(campaignId: accepted.campaignId, rulesetId: 0, ruleIndex: 0, ruleName: "")
        let effect = Effect.rollbackReferral(origin, code: accepted.code)
        effects.append(effect)
        event.effects.append(effect)
        referralRedemption = ReferralRedemption(referral: accepted, friendProfileIntegrationId: friend, direction: -1)
    }
}

extension CustomerSessionService {
    /// The referral the session's code (sent now or stored) names; nothing is read when there is no code.
    func referralContext(_ application: Application, update: SessionUpdate, stored: CustomerSession?) async throws
        -> ReferralContext
    {
        let code = update.referralCode ?? stored?.referralCode
        guard let code, !code.isEmpty else { return ReferralContext(referral: nil) }
        return try await store.referralContext(
            applicationId: application.id, normalizedCode: application.normalizedCouponCode(code),
            profileId: update.profileId ?? stored?.profileId
        )
    }
}
