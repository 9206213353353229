import Foundation
import PromotionEngine
import Storage

/// Coupon reservation steps of a closing session. The engine only names the codes its `reserveCoupon` effects
/// reserve; here the coupons are read (only when there are such effects), each effect learns whether its
/// reservation is new, and the new ones become the commit's claims, which the store guards by the coupon's
/// `reservationLimit`. An unknown code, or a full coupon the customer does not hold, reserves nothing: its
/// effect is dropped, as an empty giveaway pool awards nothing.
enum ReservationSteps {
    static func prepare(_ commit: inout SessionCommit, store: any Store, application: Application) async throws {
        guard commit.event.type == .sessionClosed, let profileId = commit.session.profileId,
              commit.effects.contains(where: { $0.couponReservation != nil })
        else { return }
        let codes = Set(commit.effects.compactMap {
            $0.couponReservation.map { application.normalizedCouponCode($0.couponValue) }
        })
        let standings = try await store.reservationStandings(
            applicationId: application.id, normalizedValues: codes.sorted(), integrationId: profileId
        )
        let (effects, claims) = resolve(commit.effects, standings: standings, application: application)
        commit.effects = effects
        commit.event.effects = resolve(commit.event.effects, standings: standings, application: application).effects
        commit.couponReservations = claims
    }

    /// The effects with each reservation settled, and the new reservations to store (a coupon reserved twice by
    /// one evaluation is new once).
    static func resolve(_ effects: [Effect], standings: [String: CouponReservationStanding], application: Application)
        -> (effects: [Effect], claims: [CouponReservationClaim])
    {
        var claims: [CouponReservationClaim] = []
        let settled = effects.compactMap { effect -> Effect? in
            guard var reservation = effect.couponReservation else { return effect }
            guard let standing = standings[application.normalizedCouponCode(reservation.couponValue)] else { return nil }
            let coupon = standing.coupon
            if standing.held || claims.contains(where: { $0.couponId == coupon.id }) {
                reservation.isNewReservation = false
            } else {
                guard standing.hasRoom else { return nil }
                claims.append(CouponReservationClaim(couponId: coupon.id, integrationId: reservation.profileIntegrationId,
                                                     limit: standing.limit))
                reservation.isNewReservation = true
            }
            reservation.couponValue = coupon.value
            var effect = effect
            effect.kind = .reserveCoupon(reservation)
            return effect
        }
        return (settled, claims)
    }
}
