import Foundation
import PromotionEngine
import Storage
import Testing

/// Each guard, one commit at a time: exactly up to the limit passes, the next fails with its `StoreError`,
/// and money counts exactly (decimal in, the same decimal out).
@Suite struct GuardConformanceTests {
    static let today = "daily:2026-11-27"

    @Test(arguments: Backends.all) func couponUsageLimit(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let coupon = try await shop.coupon("TWICE", of: try await shop.campaign(), usageLimit: 2)
        let first = shop.close("s1", coupons: [coupon])
        _ = try await shop.store.commitSession(first)
        _ = try await shop.store.commitSession(shop.close("s2", coupons: [coupon]))
        await #expect(throws: StoreError.couponLimitReached(couponId: coupon.id)) {
            _ = try await shop.store.commitSession(shop.close("s3", coupons: [coupon]))
        }
        _ = try await shop.store.commitSession(shop.cancel(first))
        _ = try await shop.store.commitSession(shop.close("s3", coupons: [coupon]))
        #expect(try await shop.snapshot("-", codes: ["TWICE"]).coupons.first?.usageCounter == 2)
    }

    /// 0.1 + 0.2 reaches a 0.3 limit exactly (binary floating point would pass it or fall short).
    @Test(arguments: Backends.all) func couponDiscountLimitIsExact(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let coupon = try await shop.coupon("CAP", of: try await shop.campaign())
        for (session, discount) in [("s1", "0.1"), ("s2", "0.2"), ("s3", "0.01")] {
            var close = shop.close(session, coupons: [coupon])
            close.couponDiscountDeltas = [coupon.id: Decimal(string: discount)!]
            close.couponDiscountLimits = [coupon.id: Decimal(string: "0.3")!]
            if session == "s3" {
                await #expect(throws: StoreError.couponLimitReached(couponId: coupon.id)) {
                    _ = try await shop.store.commitSession(close)
                }
            } else {
                _ = try await shop.store.commitSession(close)
            }
        }
        #expect(try await shop.snapshot("-", codes: ["CAP"]).coupons.first?.discountCounter == Decimal(string: "0.3"))
    }

    /// Minor units of 0 (JPY) and 3 (KWD) digits count and compare exactly, through the campaign budget.
    @Test(arguments: Backends.all) func discountBudgetsInJPYAndKWD(_ backend: any StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        for (currency, step, budget) in [("JPY", "333", "999"), ("KWD", "0.333", "0.999"), ("EUR", "0.1", "0.3")] {
            let shop = try await Shop.open(try await database.open(), currency: currency)
            let campaign = try await shop.campaign()
            var delta = CampaignCounterDelta.redeeming(campaign, discount: Decimal(string: step)!)
            delta.maximumDiscount = Decimal(string: budget)!
            for index in 1...3 {
                _ = try await shop.store.commitSession(shop.close("\(currency)-\(index)", counters: [delta]))
            }
            delta.discount = Decimal(string: step.hasPrefix("0") ? "0.001" : "1")!
            await #expect(throws: StoreError.campaignLimitReached(campaignId: campaign.id)) {
                _ = try await shop.store.commitSession(shop.close("\(currency)-4", counters: [delta]))
            }
            let counters = try await shop.store.campaign(id: campaign.id, applicationId: shop.applicationId).counters
            #expect(counters.discountCount == Decimal(string: budget)!, "\(currency)")
            #expect(counters.couponRedemptionCount == 3)
        }
    }

    @Test(arguments: Backends.all) func campaignRedemptionBudget(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        var delta = CampaignCounterDelta.redeeming(campaign)
        delta.maximumCouponRedemptions = 2
        _ = try await shop.store.commitSession(shop.close("s1", counters: [delta]))
        _ = try await shop.store.commitSession(shop.close("s2", counters: [delta]))
        await #expect(throws: StoreError.campaignLimitReached(campaignId: campaign.id)) {
            _ = try await shop.store.commitSession(shop.close("s3", counters: [delta]))
        }
        // A change that only gives back or counts no redemption is never refused.
        var effectsOnly = CampaignCounterDelta(campaignId: campaign.id)
        effectsOnly.customEffects = 1
        effectsOnly.maximumCouponRedemptions = 2
        _ = try await shop.store.commitSession(shop.close("s4", counters: [effectsOnly]))
        let counters = try await shop.store.campaign(id: campaign.id, applicationId: shop.applicationId).counters
        #expect(counters.couponRedemptionCount == 2)
        #expect(counters.customEffectCount == 1)
    }

    @Test(arguments: Backends.all) func periodBudgets(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        var delta = CampaignCounterDelta.redeeming(campaign, discount: 1.25)
        delta.periodKeys = [Self.today, "monthly:2026-11"]
        delta.periodMaximums = [Self.today: .init(couponRedemptions: 2), "monthly:2026-11": .init(discount: 3.75)]
        _ = try await shop.store.commitSession(shop.close("s1", counters: [delta]))
        _ = try await shop.store.commitSession(shop.close("s2", counters: [delta]))
        await #expect(throws: StoreError.campaignLimitReached(campaignId: campaign.id)) {
            _ = try await shop.store.commitSession(shop.close("s3", counters: [delta]))
        }
        delta.periodKeys = ["daily:2026-11-28", "monthly:2026-11"]
        _ = try await shop.store.commitSession(shop.close("s3", counters: [delta]))
        await #expect(throws: StoreError.campaignLimitReached(campaignId: campaign.id)) {
            _ = try await shop.store.commitSession(shop.close("s4", counters: [delta]))
        }
        let periods = try await shop.snapshot("-", countersOf: [campaign.id], periodKeys: [Self.today, "monthly:2026-11"])
            .campaignCounters[campaign.id]?.periods
        #expect(periods?[Self.today] == PeriodCounters(couponRedemptions: 2, discount: 2.5))
        #expect(periods?["monthly:2026-11"] == PeriodCounters(couponRedemptions: 3, discount: 3.75))
    }

    @Test(arguments: Backends.all) func perProfileLimits(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        let coupons = [try await shop.coupon("P1", of: campaign), try await shop.coupon("P2", of: campaign),
                       try await shop.coupon("P3", of: campaign)]
        var delta = CampaignCounterDelta.redeeming(campaign)
        delta.maximumProfileRedemptions = 3
        delta.profilePeriodMaximums = [Self.today: 2]
        func close(_ id: String, _ coupon: Coupon, profile: String = "alice", perCoupon: Int? = nil) -> SessionCommit {
            var commit = shop.close(id, profileId: profile, coupons: [coupon], counters: [delta], periodKeys: [Self.today])
            if let perCoupon { commit.couponProfileMaximums = [coupon.id: perCoupon] }
            return commit
        }
        _ = try await shop.store.commitSession(close("s1", coupons[0], perCoupon: 1))
        await #expect(throws: StoreError.couponLimitReached(couponId: coupons[0].id)) {
            _ = try await shop.store.commitSession(close("s2", coupons[0], perCoupon: 1))
        }
        _ = try await shop.store.commitSession(close("s2", coupons[1]))
        await #expect(throws: StoreError.campaignLimitReached(campaignId: campaign.id)) {  // the day's 2 are used
            _ = try await shop.store.commitSession(close("s3", coupons[2]))
        }
        _ = try await shop.store.commitSession(close("s3", coupons[2], profile: "bob"))  // another profile counts apart
        let snapshot = try await shop.snapshot("-", profileId: "alice", codes: ["P1"], countersOf: [campaign.id],
                                               periodKeys: [Self.today])
        #expect(snapshot.profileRedemptions[campaign.id] == 2)
        #expect(snapshot.profilePeriodRedemptions[campaign.id]?[Self.today] == 2)
        #expect(try await shop.store.profileRedemptions(applicationId: shop.applicationId, profileId: "alice",
                                                        couponIds: coupons.map(\.id))
                == [coupons[0].id: 1, coupons[1].id: 1, coupons[2].id: 0])
    }

    /// `createCoupon` budgets hold for session and profile commits alike; a taken code asks for a new draw.
    @Test(arguments: Backends.all) func couponCreationBudget(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        func created(_ code: String) -> (coupon: Coupon, normalizedValue: String) {
            (Coupon(id: 0, campaignId: campaign.id, value: code, created: shop.now), code)
        }
        var close = shop.close("s1")
        close.createdCoupons = [created("NEW1")]
        close.couponCreationMaximums = [campaign.id: 2]
        #expect(try await shop.store.commitSession(close).createdCoupons.map(\.value) == ["NEW1"])
        var taken = ProfileCommit(applicationId: shop.applicationId, integrationId: "p", attributes: [:], event: nil,
                                  now: shop.now)
        taken.createdCoupons = [created("NEW1")]
        await #expect(throws: StoreError.sessionChanged) { _ = try await shop.store.commitProfile(taken) }
        var profile = taken
        profile.createdCoupons = [created("NEW2")]
        profile.couponCreationMaximums = [campaign.id: 2]
        _ = try await shop.store.commitProfile(profile)
        profile.createdCoupons = [created("NEW3")]
        await #expect(throws: StoreError.campaignLimitReached(campaignId: campaign.id)) {
            _ = try await shop.store.commitProfile(profile)
        }
        #expect(try await shop.store.campaign(id: campaign.id, applicationId: shop.applicationId)
            .counters.couponCreationCount == 2)
        #expect(try await shop.snapshot("-", codes: ["NEW3"]).coupons.isEmpty)
    }

    @Test(arguments: Backends.all) func aDeletedCampaignIsNotFound(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        try await shop.store.deleteCampaign(id: campaign.id, applicationId: shop.applicationId)
        await #expect(throws: StoreError.notFound(entity: "campaign")) {
            _ = try await shop.store.campaign(id: campaign.id, applicationId: shop.applicationId)
        }
    }

    @Test func storedMoneyRoundTripsExactly() {
        for text in ["0", "0.1", "0.3", "12345678.9999", "-2.5", "0.001", "999999"] {
            let value = Decimal(string: text)!
            #expect(StoredMoney.decimal(StoredMoney.units(value)) == value, "\(text)")
        }
        #expect(StoredMoney.units(Decimal(string: "0.1")! + Decimal(string: "0.2")!) == 3000)
        #expect(StoredMoney.limitUnits(Decimal(string: "10.00009")!) == 100_000)
        #expect(StoredMoney.units(Decimal(string: "1e30")!) == .max)
    }
}
