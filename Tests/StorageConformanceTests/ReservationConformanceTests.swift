import Foundation
import PromotionEngine
import Storage
import Testing

/// Coupon reservations on every backend: idempotent per customer with an exact counter (also when two nodes
/// reserve at once), read by the session snapshot only for codes that need one, and listed per customer.
@Suite struct ReservationConformanceTests {
    static func mandatoryCoupon(_ shop: Shop, _ code: String, reservationLimit: Int? = nil) async throws -> Coupon {
        var coupon = Coupon(id: 0, campaignId: try await shop.campaign().id, value: code, created: shop.now)
        coupon.isReservationMandatory = true
        coupon.reservationLimit = reservationLimit
        return try #require(try await shop.store.insertCoupons([coupon], applicationId: shop.applicationId,
                                                               normalizedValues: [code]).first)
    }

    /// A fresh shop whose mandatory coupon `HOLD` alice reserved through the API.
    static func heldByAlice(_ backend: any StoreBackend) async throws -> (Shop, Coupon) {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let coupon = try await mandatoryCoupon(shop, "HOLD")
        _ = try await shop.store.reserveCoupon(applicationId: shop.applicationId, normalizedValue: "HOLD",
                                               integrationIds: ["alice"], now: shop.now)
        return (shop, coupon)
    }

    @Test(arguments: Backends.all) func reservationsAreCountedOncePerCustomer(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let coupon = try await Self.mandatoryCoupon(shop, "HOLD")
        #expect(coupon.isReservationMandatory && coupon.reservationCounter == 0)
        let reserved = try await shop.store.reserveCoupon(applicationId: shop.applicationId, normalizedValue: "HOLD",
                                                          integrationIds: ["alice", "bob", "alice"], now: shop.now)
        #expect(reserved.reservationCounter == 2 && reserved.isReservationMandatory)
        let again = try await shop.store.reserveCoupon(applicationId: shop.applicationId, normalizedValue: "HOLD",
                                                       integrationIds: ["bob"], now: shop.now)
        #expect(again.reservationCounter == 2)
        try await shop.store.releaseCoupon(applicationId: shop.applicationId, normalizedValue: "HOLD",
                                           integrationIds: ["bob", "nobody"])
        let held = try await shop.store.couponsHeld(applicationId: shop.applicationId, integrationId: "alice", limit: 10)
        #expect(held.map(\.id) == [coupon.id] && held.first?.reservationCounter == 1)
        #expect(try await shop.store.couponsHeld(applicationId: shop.applicationId, integrationId: "bob", limit: 10).isEmpty)
        await #expect(throws: StoreError.notFound(entity: "coupon")) {
            _ = try await shop.store.reserveCoupon(applicationId: shop.applicationId, normalizedValue: "NONE",
                                                   integrationIds: ["alice"], now: shop.now)
        }
    }

    @Test(arguments: Backends.all) func theSnapshotKnowsWhichMandatoryCodesTheProfileHolds(_ backend: any StoreBackend)
        async throws
    {
        let (shop, coupon) = try await Self.heldByAlice(backend)
        #expect(try await shop.snapshot("s1", profileId: "alice", codes: ["HOLD"]).reservedCouponIds == [coupon.id])
        #expect(try await shop.snapshot("s2", profileId: "bob", codes: ["HOLD"]).reservedCouponIds.isEmpty)
        #expect(try await shop.snapshot("s3", codes: ["HOLD"]).reservedCouponIds.isEmpty)
    }

    @Test(arguments: Backends.all) func concurrentReservationsKeepTheCounterExact(_ backend: any StoreBackend)
        async throws
    {
        let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
        _ = try await Self.mandatoryCoupon(shop, "HOLD")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                let store = stores[index % stores.count]
                group.addTask {
                    // Every task reserves its own customer and one shared by all.
                    _ = try await store.reserveCoupon(applicationId: shop.applicationId, normalizedValue: "HOLD",
                                                      integrationIds: ["c\(index)", "shared"], now: shop.now)
                }
            }
            try await group.waitForAll()
        }
        let held = try await shop.store.couponsHeld(applicationId: shop.applicationId, integrationId: "shared", limit: 1)
        #expect(held.first?.reservationCounter == 21)
    }

    /// A closing session that reserves the coupon for its customer (a `reserveCoupon` effect, as planned).
    static func reservingClose(_ shop: Shop, _ sessionId: String, customer: String, _ coupon: Coupon) -> SessionCommit {
        var commit = shop.close(sessionId, profileId: customer)
        commit.couponReservations = [CouponReservationClaim(couponId: coupon.id, integrationId: customer,
                                                            limit: coupon.reservationLimit)]
        return commit
    }

    @Test(arguments: Backends.all) func closesReserveWithinTheReservationLimit(_ backend: any StoreBackend)
        async throws
    {
        let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
        let coupon = try await Self.mandatoryCoupon(shop, "FEW", reservationLimit: 5)
        let commits = (0..<20).map { Self.reservingClose(shop, "s\($0)", customer: "c\($0)", coupon) }
        let passed = try await RaceConformanceTests.race(stores, commits, refused: .couponLimitReached(couponId: coupon.id))
        #expect(passed == 5)
        let holders = try await shop.store.reservingProfiles(applicationId: shop.applicationId, normalizedValue: "FEW",
                                                             limit: 100)
        #expect(holders.count == 5)
        let standing = try await shop.store.reservationStandings(applicationId: shop.applicationId,
                                                                 normalizedValues: ["FEW"],
                                                                 integrationId: holders[0].integrationId)
        #expect(standing["FEW"]?.coupon.reservationCounter == 5 && standing["FEW"]?.held == true)
        #expect(standing["FEW"]?.hasRoom == false)
        // A refused close left no session behind: its whole transaction rolled back.
        let refused = try await shop.store.reservationStandings(applicationId: shop.applicationId,
                                                                normalizedValues: ["FEW", "NONE"], integrationId: "nobody")
        #expect(refused.keys.sorted() == ["FEW"] && refused["FEW"]?.held == false)
    }

    @Test(arguments: Backends.all) func aReservationTakenMeanwhileFailsTheCommit(_ backend: any StoreBackend)
        async throws
    {
        let (shop, coupon) = try await Self.heldByAlice(backend)
        await #expect(throws: StoreError.sessionChanged) {
            _ = try await shop.store.commitSession(Self.reservingClose(shop, "s1", customer: "alice", coupon))
        }
        #expect(try await shop.snapshot("s1", profileId: "alice", codes: ["HOLD"]).session == nil)
        _ = try await shop.store.commitSession(Self.reservingClose(shop, "s2", customer: "bob", coupon))
        #expect(try await shop.snapshot("s3", profileId: "bob", codes: ["HOLD"]).reservedCouponIds == [coupon.id])
    }

    @Test(arguments: Backends.all) func closesStoreTheReferralsRulesMade(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        func referral(_ code: String) -> (referral: Referral, normalizedCode: String) {
            (Referral(id: 0, campaignId: campaign.id, code: code, advocateProfileIntegrationId: "alice",
                      created: shop.now), code)
        }
        var commit = shop.close("s1", profileId: "alice")
        commit.createdReferrals = [referral("REF-ONE")]
        let committed = try await shop.store.commitSession(commit)
        #expect(committed.createdReferrals.map(\.code) == ["REF-ONE"] && committed.createdReferrals[0].id > 0)
        let stored = try await shop.store.referral(id: committed.createdReferrals[0].id, applicationId: shop.applicationId,
                                                   campaignId: campaign.id)
        #expect(stored.advocateProfileIntegrationId == "alice" && stored.usageCounter == 0)
        // A code taken meanwhile: the whole commit fails, to be evaluated again with a new code.
        var again = shop.close("s2", profileId: "alice")
        again.createdReferrals = [referral("REF-TWO"), referral("REF-ONE")]
        await #expect(throws: StoreError.sessionChanged) { _ = try await shop.store.commitSession(again) }
        #expect(try await shop.snapshot("s2").session == nil)
        let (all, _) = try await shop.store.referrals(applicationId: shop.applicationId, filter: ReferralFilter(),
                                                      page: PageRequest(pageSize: 10))
        #expect(all.map(\.code) == ["REF-ONE"])
    }
}
