import Foundation
import PromotionEngine
import Storage
import Testing

/// Coupon reservations on every backend: idempotent per customer with an exact counter (also when two nodes
/// reserve at once), read by the session snapshot only for codes that need one, and listed per customer.
@Suite struct ReservationConformanceTests {
    static func mandatoryCoupon(_ shop: Shop, _ code: String) async throws -> Coupon {
        var coupon = Coupon(id: 0, campaignId: try await shop.campaign().id, value: code, created: shop.now)
        coupon.isReservationMandatory = true
        return try #require(try await shop.store.insertCoupons([coupon], applicationId: shop.applicationId,
                                                               normalizedValues: [code]).first)
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
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let coupon = try await Self.mandatoryCoupon(shop, "HOLD")
        _ = try await shop.store.reserveCoupon(applicationId: shop.applicationId, normalizedValue: "HOLD",
                                               integrationIds: ["alice"], now: shop.now)
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
}
