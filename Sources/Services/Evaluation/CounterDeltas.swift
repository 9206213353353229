import Foundation
import PromotionEngine
import Storage

extension CampaignCounterDelta {
    /// The counters a closing session (or a profile's rules) adds, from its evaluation. Which counter an effect
    /// moves is the engine's decision (`EffectType.budgetAction`); stores only apply the deltas.
    static func closing(_ outcome: EvaluationOutcome) -> [CampaignCounterDelta] {
        var deltas: [Int64: CampaignCounterDelta] = [:]
        for coupon in outcome.acceptedCoupons {
            deltas[coupon.campaignId, default: .init(campaignId: coupon.campaignId)].couponRedemptions += 1
        }
        for effect in outcome.effects {
            var delta = deltas[effect.campaignId, default: .init(campaignId: effect.campaignId)]
            switch effect.type.budgetAction {
            case .setDiscount?:
                delta.discountEffects += 1
                delta.discount += effect.discountValue ?? 0
            case .addFreeItem?: delta.addFreeItemEffects += 1
            case .customEffect?: delta.customEffects += 1
            case .createLoyaltyPoints?, .redeemLoyaltyPoints?, .createReferral?:
                delta.actions = (delta.actions ?? ActionCounts()).counting(effect)
            default: continue
            }
            deltas[effect.campaignId] = delta
        }
        if let referral = outcome.acceptedReferral {
            var actions = deltas[referral.campaignId]?.actions ?? ActionCounts()
            actions.referralRedemptions += 1
            deltas[referral.campaignId, default: .init(campaignId: referral.campaignId)].actions = actions
        }
        return deltas.values.filter { $0.campaignId != 0 }.sorted { $0.campaignId < $1.campaignId }
    }
}

extension ActionCounts {
    /// These counts with one more loyalty or referral-creation effect.
    func counting(_ effect: Effect) -> ActionCounts {
        var counts = self
        switch effect.kind {
        case .addLoyaltyPoints(let change):
            counts.createdLoyaltyPoints += change.value
            counts.createdLoyaltyPointsEffects += 1
        case .deductLoyaltyPoints(let change):
            counts.redeemedLoyaltyPoints += change.value
            counts.redeemedLoyaltyPointsEffects += 1
        default:
            if effect.type == .referralCreated { counts.referralCreations += 1 }
        }
        return counts
    }
}

extension CampaignCounterDelta {
    /// The loyalty and referral budget counters of `budget` this close counts in (those it moves), each with its
    /// maximum for the commit's guard; per-profile ones for the session's profile.
    mutating func countInBudgets(_ budget: ActionBudget, profileId: String?) {
        guard let actions, !budget.maximums.isEmpty else { return }
        let changes = budget.maximums.keys.sorted().compactMap { key -> ActionCounterChange? in
            let amount = actions.amount(of: key.action)
            guard amount > 0 else { return nil }
            if key.perProfile {
                guard let profileId, !profileId.isEmpty else { return nil }
                return ActionCounterChange(key: key, profileId: profileId, amount: amount, maximum: budget.maximums[key])
            }
            return ActionCounterChange(key: key, amount: amount, maximum: budget.maximums[key])
        }
        actionCounters = changes.isEmpty ? nil : changes
    }
}

/// The loyalty and referral budgets (``ActionBudget``) of an application's campaigns that have any, for a close.
struct ActionBudgets {
    private let byCampaign: [Int64: ActionBudget]

    init(programs: [CampaignProgram], session: CustomerSession, application: Application, now: Date) {
        var byCampaign: [Int64: ActionBudget] = [:]
        for program in programs where program.limits.contains(where: \.action.isCountedPerAction) {
            byCampaign[program.campaignId] = ActionBudget(
                limits: program.limits, hasProfile: !(session.profileId ?? "").isEmpty, now: now,
                timeZone: application.timeZone
            )
        }
        self.byCampaign = byCampaign
    }

    subscript(campaignId: Int64) -> ActionBudget? { byCampaign[campaignId] }
}
