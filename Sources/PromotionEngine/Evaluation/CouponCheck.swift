import Foundation

/// Sorts the session's coupon codes into valid coupons per campaign and rejections with their reason.
struct CouponCheck {
    private(set) var rejections: [Effect] = []
    private var valid: [Int64: [Coupon]] = [:]

    init(input: EvaluationInput, runningCampaignIds: Set<Int64>) {
        let application = input.application
        var byCode: [String: Coupon] = [:]
        for coupon in input.coupons { byCode[application.normalizedCouponCode(coupon.value)] = coupon }
        var seen = Set<String>()
        for code in input.session.couponCodes {
            let normalized = application.normalizedCouponCode(code)
            guard seen.insert(normalized).inserted else { continue }
            guard let coupon = byCode[normalized] else {
                rejections.append(.rejectCoupon(.engine, code: code, reason: .couponNotFound))
                continue
            }
            let origin = EffectOrigin(campaignId: coupon.campaignId, rulesetId: 0, ruleIndex: 0, ruleName: "",
                                      couponId: coupon.id)
            if let reason = Self.rejection(of: coupon, input: input, runningCampaignIds: runningCampaignIds) {
                rejections.append(.rejectCoupon(origin, code: code, reason: reason))
            } else {
                valid[coupon.campaignId, default: []].append(coupon)
            }
        }
    }

    func validCoupons(of campaignId: Int64) -> [Coupon] { valid[campaignId] ?? [] }

    /// Why `coupon` cannot be used now, checked in the order a customer would want to hear it.
    static func rejection(of coupon: Coupon, input: EvaluationInput, runningCampaignIds: Set<Int64>)
        -> CouponRejectionReason?
    {
        if !runningCampaignIds.contains(coupon.campaignId) { return .couponPartOfNotRunningCampaign }
        if let start = coupon.startDate, start > input.now { return .couponStartDateInFuture }
        if let expiry = coupon.expiryDate, expiry <= input.now { return .couponExpired }
        if coupon.usageLimit > 0, coupon.usageCounter >= coupon.usageLimit { return .couponLimitReached }
        if let limit = coupon.discountLimit, limit > 0, (coupon.discountCounter ?? 0) >= limit {
            return .couponLimitReached
        }
        if let recipient = coupon.recipientIntegrationId, !recipient.isEmpty,
           recipient != input.session.profileId
        {
            return .couponRecipientDoesNotMatch
        }
        if coupon.isReservationMandatory {
            guard input.session.profileId != nil else { return .profileRequired }
            if !input.reservedCouponIds.contains(coupon.id) { return .couponReservationRequired }
        }
        if let maximum = coupon.maximumRedemptionsPerProfile {
            guard input.session.profileId != nil else { return .profileRequired }
            if (input.profileCouponRedemptions[coupon.id] ?? 0) >= maximum { return .profileLimitReached }
        }
        return nil
    }
}
