import Foundation

/// The props of `reserveCoupon`: a rule set a coupon code aside for the session's customer. The engine only
/// names the code; the service finds the coupon and whether the reservation is new, and the closing commit
/// stores it within the coupon's `reservationLimit`.
public struct CouponReservationEffect: Sendable, Hashable {
    public var couponValue: String
    public var profileIntegrationId: String
    public var isNewReservation: Bool

    public init(couponValue: String, profileIntegrationId: String, isNewReservation: Bool = true) {
        (self.couponValue, self.profileIntegrationId, self.isNewReservation) =
            (couponValue, profileIntegrationId, isNewReservation)
    }
}

extension Effect {
    /// The reservation a `reserveCoupon` effect asks for; nil for every other effect.
    public var couponReservation: CouponReservationEffect? {
        if case .reserveCoupon(let reservation) = kind { reservation } else { nil }
    }
}

extension RuleScope {
    /// `reserveCoupon(code)`: only a closing session reserves (an open one may still change its mind, a profile
    /// update or event has no session to close); without a customer profile there is nobody to reserve for.
    public func reserveCoupon(code: String) throws {
        guard closesSession else { return }
        guard let profileId = session.profileId, !profileId.isEmpty else {
            throw EffectError("reserveCoupon: the session has no customer profile to reserve the code for")
        }
        guard !code.isEmpty else { throw EffectError("reserveCoupon: the coupon code is empty") }
        pendingEffects.append(Effect(origin: origin, kind: .reserveCoupon(
            CouponReservationEffect(couponValue: code, profileIntegrationId: profileId)
        )))
    }

    /// The evaluation is of a session that this update closes (not an open session, profile update or event).
    var closesSession: Bool { event == nil && session.state == .closed && !session.integrationId.isEmpty }
}
