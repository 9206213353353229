import Foundation
import PromotionEngine

/// Coupon reservations: which customers a code is set aside for (`createCouponReservation`). A reservation names
/// a customer integration id; the profile may not exist yet.
public protocol CouponReservationStore: Sendable {
    /// Reserves the application's coupon with this normalized code for the customers (kept reservations stay,
    /// the counter moves by the new ones) and returns the coupon. Throws `notFound` for an unknown code.
    func reserveCoupon(applicationId: Int64, normalizedValue: String, integrationIds: [String], now: Date)
        async throws -> Coupon
    /// Removes the customers' reservations of the code (absent ones are ignored). Throws `notFound` for an
    /// unknown code.
    func releaseCoupon(applicationId: Int64, normalizedValue: String, integrationIds: [String]) async throws
    /// The profiles holding a reservation of the code, in integration id order (customers without a profile
    /// yet are left out). Throws `notFound` for an unknown code.
    func reservingProfiles(applicationId: Int64, normalizedValue: String, limit: Int) async throws
        -> [CustomerProfile]
    /// The coupons meant for the customer: reserved for it or sent to it (`recipientIntegrationId`), by id.
    func couponsHeld(applicationId: Int64, integrationId: String, limit: Int) async throws -> [Coupon]
    /// The application's coupons with these normalized codes (absent: no such coupon) and whether the customer
    /// holds a reservation of each: what a closing session's `reserveCoupon` effects need before the commit.
    func reservationStandings(applicationId: Int64, normalizedValues: [String], integrationId: String) async throws
        -> [String: CouponReservationStanding]
}

/// A coupon as a `reserveCoupon` effect finds it: its counters and limit, and whether the customer holds it.
public struct CouponReservationStanding: Sendable, Hashable {
    public var coupon: Coupon
    public var held: Bool

    public init(coupon: Coupon, held: Bool) { (self.coupon, self.held) = (coupon, held) }

    /// The `reservationLimit` guard: absent or 0 means any number of customers may hold the code.
    public var limit: Int? { coupon.reservationLimit.flatMap { $0 > 0 ? $0 : nil } }

    /// A new reservation still fits (as read; the commit's guarded statement decides).
    public var hasRoom: Bool { limit.map { coupon.reservationCounter < $0 } ?? true }
}

/// A new reservation a session commit stores: the row (unique per coupon and customer) and one more on the
/// coupon's counter, only while the counter stays within `limit` (nil: no limit).
public struct CouponReservationClaim: Sendable, Hashable {
    public var couponId: Int64
    public var integrationId: String
    public var limit: Int?

    public init(couponId: Int64, integrationId: String, limit: Int?) {
        (self.couponId, self.integrationId, self.limit) = (couponId, integrationId, limit)
    }
}
