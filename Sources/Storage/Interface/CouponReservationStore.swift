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
}
