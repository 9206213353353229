import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// `GET /v1/customer_profiles/{integrationId}/inventory`: what a shop's account page shows — the profile (with
/// its audiences), the coupons meant for it (sent to it or reserved for it), the referral codes it advocates
/// with the friends they brought.
struct InventoryRoutes {
    let store: any Store
    /// Inventories list at most this many coupons and referrals each (the newest first would need a sort the
    /// spec does not offer; Talon.One caps inventories too).
    static let maximumItems = 1000

    func register(on routes: RouteRegistrar) {
        routes.on(.get, "/v1/customer_profiles/:integrationId/inventory") { request, context in
            let key = try context.integrationKey()
            let profileId = try Identifier.parameter(context.parameters.get("integrationId"), name: "integrationId")
            let query = request.uri.queryParameters
            var switches: [String: Bool] = [:]
            for name in ["profile", "referrals", "coupons", "loyalty", "giveaways", "achievements"] {
                switches[name] = try bool(query.get(name), name: name, default: false)
            }
            var inventory = InventoryBody()
            if switches["profile"] == true, let profile = try await store.profile(applicationId: key.applicationId,
                                                                                  integrationId: profileId) {
                inventory.profile = try await CustomerProfileBody.withAudiences(profile, store: store)
            }
            if switches["coupons"] == true {
                inventory.coupons = try await coupons(of: profileId, applicationId: key.applicationId)
            }
            if switches["referrals"] == true {
                inventory.referrals = try await referrals(of: profileId, applicationId: key.applicationId)
            }
            if switches["giveaways"] == true {
                inventory.giveaways = try await store.awardedGiveaways(
                    applicationId: key.applicationId, profileIntegrationId: profileId, limit: Self.maximumItems
                ).map(GiveawayBody.init)
            }
            // Loyalty and achievements do not exist in Sconto yet: their switches are accepted and the answer has
            // nothing for them.
            return try WireCoding.response(inventory)
        }
    }

    struct InventoryBody: Encodable, Sendable {
        var profile: CustomerProfileBody?
        var referrals: [InventoryReferralBody]?
        var coupons: [InventoryCouponBody]?
        var giveaways: [GiveawayBody]?
    }

    /// The SDK's `InventoryCoupon`: a `Coupon` with its state for the profile.
    struct InventoryCouponBody: Encodable, Sendable {
        var coupon: CouponBody
        var state: String

        func encode(to encoder: any Encoder) throws {
            try coupon.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(state, forKey: .state)
        }

        private enum Key: String, CodingKey { case state }
    }

    private func coupons(of profileId: String, applicationId: Int64) async throws -> [InventoryCouponBody] {
        let found = try await store.couponsHeld(applicationId: applicationId, integrationId: profileId,
                                                limit: Self.maximumItems)
        let counts = try await store.profileRedemptions(applicationId: applicationId, profileId: profileId,
                                                        couponIds: found.map(\.id))
        let now = Date()
        return found.map { coupon in
            let redeemed = counts[coupon.id] ?? 0
            let state: String
            if coupon.usageLimit > 0, coupon.usageCounter >= coupon.usageLimit || redeemed >= coupon.usageLimit {
                state = "used"
            } else if let expiry = coupon.expiryDate, expiry <= now {
                state = "expired"
            } else {
                state = "active"
            }
            return InventoryCouponBody(coupon: CouponBody(coupon, profileRedemptionCount: redeemed), state: state)
        }
    }

    private func referrals(of profileId: String, applicationId: Int64) async throws -> [InventoryReferralBody] {
        var filter = ReferralFilter()
        filter.advocate = profileId
        let (found, _) = try await store.referrals(applicationId: applicationId, filter: filter,
                                                   page: PageRequest(pageSize: Self.maximumItems))
        return try await InventoryReferralBody.list(found, applicationId: applicationId, store: store)
    }
}
