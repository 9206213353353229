import Foundation
import PromotionEngine
import Storage

/// What an evaluation's effects change besides being answered: attributes (`updateAttribute`), coupons rules
/// created (`createCoupon`) and the budgets those count against. Session updates, profile updates and custom
/// events all derive their writes here, so a rule does the same thing whichever request ran it. Pure.
struct RuleChanges {
    /// `Session.Attributes.X` updates (only a session update has a session to change).
    var sessionAttributes: [String: JSONValue] = [:]
    /// `Profile.Attributes.X` updates, merged into the stored profile in the same commit.
    var profileAttributes: [String: JSONValue] = [:]
    var createdCoupons: [(coupon: Coupon, normalizedValue: String)] = []
    /// `createCoupon` budgets of the campaigns that create coupons: re-checked by the commit.
    var couponCreationMaximums: [Int64: Int] = [:]
    /// Referrals rules made (`createReferral`, only a closing session's), codes normalized for the application.
    var createdReferrals: [(referral: Referral, normalizedCode: String)] = []

    init(_ outcome: EvaluationOutcome, application: Application, programs: [CampaignProgram], now: Date) {
        for effect in outcome.effects {
            switch effect.kind {
            case .updateAttribute(let path, let value):
                if let name = path.attributeName(under: "Session.Attributes.") {
                    sessionAttributes[name] = value
                } else if let name = path.attributeName(under: "Profile.Attributes.") {
                    profileAttributes[name] = value
                }
            case .couponCreated(let code, let profileId):
                var coupon = Coupon(id: 0, campaignId: effect.campaignId, value: code, usageLimit: 1, created: now)
                if !profileId.isEmpty { coupon.recipientIntegrationId = profileId }
                createdCoupons.append((coupon, application.normalizedCouponCode(code)))
                if couponCreationMaximums[effect.campaignId] == nil {
                    let limits = programs.first { $0.campaignId == effect.campaignId }?.limits ?? []
                    if let maximum = CampaignBudget(limits: limits, counters: .init()).maximumCouponCreations {
                        couponCreationMaximums[effect.campaignId] = maximum
                    }
                }
            case .referralCreated(let creation):
                var referral = Referral(id: 0, campaignId: effect.campaignId, code: creation.code,
                                        advocateProfileIntegrationId: creation.advocateProfileIntegrationId,
                                        created: now)
                referral.friendProfileIntegrationId = creation.friendProfileIntegrationId
                createdReferrals.append((referral, application.normalizedCouponCode(creation.code)))
            default:
                continue
            }
        }
    }
}

extension String {
    /// `Tier` for `Profile.Attributes.Tier` under `Profile.Attributes.`; nil for other paths or nested names.
    func attributeName(under prefix: String) -> String? {
        guard hasPrefix(prefix) else { return nil }
        let name = dropFirst(prefix.count)
        return name.isEmpty || name.contains(".") ? nil : String(name)
    }
}
