import Foundation
import Hummingbird
import PromotionEngine
import Services
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
            if switches["loyalty"] == true {
                inventory.loyalty = try await loyalty(of: profileId, accountId: key.accountId,
                                                      applicationId: key.applicationId)
            }
            if switches["achievements"] == true {
                let application = try await store.application(id: key.applicationId, accountId: key.accountId)
                let now = Date()
                inventory.achievements = try await AchievementSteps.standings(
                    store, application: application, profileId: profileId, now: now
                ).map { ProfileAchievementProgressBody($0, now: now) }
            }
            return try WireCoding.response(inventory)
        }
    }

    struct InventoryBody: Encodable, Sendable {
        var profile: CustomerProfileBody?
        var referrals: [InventoryReferralBody]?
        var coupons: [InventoryCouponBody]?
        var giveaways: [GiveawayBody]?
        var loyalty: LoyaltyBody?
        var achievements: [ProfileAchievementProgressBody]?
    }

    /// The spec's `Loyalty`: the profile's balances in each profile-based program the application is subscribed
    /// to, keyed by program id. Tentative balances equal the current ones (an inventory has no open session).
    struct LoyaltyBody: Encodable, Sendable {
        struct Program: Encodable, Sendable {
            var id: Int64
            var title: String
            var name: String
            var ledger: Ledger
            var subLedgers: [String: Ledger]
        }

        /// The spec's `LedgerInfo` (`expiredBalance` and `spentBalance` are deprecated there: shown as 0).
        struct Ledger: Encodable, Sendable {
            var currentBalance: Decimal
            var pendingBalance: Decimal
            var negativeBalance: Decimal
            var expiredBalance: Decimal = 0
            var spentBalance: Decimal = 0
            var tentativeCurrentBalance: Decimal
            var tentativePendingBalance: Decimal
            var tentativeNegativeBalance: Decimal

            init(_ balance: LoyaltyBalance) {
                currentBalance = balance.activePoints
                pendingBalance = balance.pendingPoints
                negativeBalance = balance.negativePoints
                (tentativeCurrentBalance, tentativePendingBalance, tentativeNegativeBalance) =
                    (currentBalance, pendingBalance, negativeBalance)
            }
        }

        var programs: [String: Program]
    }

    private func loyalty(of profileId: String, accountId: Int64, applicationId: Int64) async throws -> LoyaltyBody {
        var programs: [String: LoyaltyBody.Program] = [:]
        let now = Date()
        for program in try await store.loyaltyPrograms(accountId: accountId)
        where !program.settings.cardBased && program.settings.subscribedApplications.contains(applicationId) {
            let balances = try await store.loyaltyBalances(programId: program.id, holder: .profile(profileId), now: now)
            let main = balances[""] ?? LoyaltyBalance()
            var subledgers: [String: LoyaltyBody.Ledger] = [:]
            for (id, balance) in balances where !id.isEmpty { subledgers[id] = .init(balance) }
            programs[String(program.id)] = LoyaltyBody.Program(
                id: program.id, title: program.settings.title, name: program.settings.name,
                ledger: .init(main),
                subLedgers: subledgers
            )
        }
        return LoyaltyBody(programs: programs)
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
