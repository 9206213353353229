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
            default: continue
            }
            deltas[effect.campaignId] = delta
        }
        return deltas.values.filter { $0.campaignId != 0 }.sorted { $0.campaignId < $1.campaignId }
    }
}
