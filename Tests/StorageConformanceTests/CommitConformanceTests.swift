import Foundation
import PromotionEngine
import Storage
import Testing

/// Commits and snapshots: what every backend must do with a session update, written once.
@Suite struct CommitConformanceTests {
    @Test(arguments: Backends.all) func aCommitIsReadBackByTheSnapshot(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        let coupon = try await shop.coupon("SAVE", of: campaign, usageLimit: 5)
        let close = shop.close("s1", profileId: "p1", coupons: [coupon], counters: [.redeeming(campaign)], total: 12.34)
        let committed = try await shop.store.commitSession(close)
        #expect(committed.profile?.closedSessions == 1)
        #expect(committed.profile?.totalSales == Decimal(string: "12.34"))
        #expect(committed.event.id > 0)

        let snapshot = try await shop.snapshot("s1", codes: ["SAVE"], countersOf: [campaign.id])
        #expect(snapshot.session?.state == .closed)
        #expect(snapshot.session?.profileId == "p1")
        #expect(snapshot.closeLedger?.acceptedCoupons.map(\.couponId) == [coupon.id])
        #expect(snapshot.profile?.integrationId == "p1")
        #expect(snapshot.coupons.first?.usageCounter == 1)
        #expect(snapshot.campaignCounters[campaign.id]?.couponRedemptionCount == 1)
        #expect(snapshot.profileRedemptions[campaign.id] == 1)
    }

    @Test(arguments: Backends.all) func aSnapshotReadsTheStoredSessionsCodes(_ backend: any StoreBackend) async throws {
        // A request without couponCodes keeps the session's: one read finds the session and those coupons.
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        let coupon = try await shop.coupon("SAVE", of: campaign)
        _ = try await shop.store.commitSession(shop.close("s1", coupons: [coupon]))
        let snapshot = try await shop.store.sessionSnapshot(
            applicationId: shop.applicationId, sessionId: "s1", profileId: nil,
            couponCodes: .ofStoredSession(normalize: { $0.uppercased() }), countersOf: [], periodKeys: []
        )
        #expect(snapshot.coupons.map(\.id) == [coupon.id])
        let none = try await shop.store.sessionSnapshot(
            applicationId: shop.applicationId, sessionId: "unknown", profileId: nil,
            couponCodes: .ofStoredSession(normalize: { $0 }), countersOf: [], periodKeys: []
        )
        #expect(none.session == nil && none.coupons.isEmpty)
    }

    @Test(arguments: Backends.all) func aStaleUpdateFailsWithSessionChanged(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let close = shop.close("s1")
        _ = try await shop.store.commitSession(close)
        // Creating it again (the snapshot saw no session) and updating from an old count both lose.
        await #expect(throws: StoreError.sessionChanged) { _ = try await shop.store.commitSession(close) }
        var stale = shop.cancel(close)
        stale.expectedUpdateCount = 0
        await #expect(throws: StoreError.sessionChanged) { _ = try await shop.store.commitSession(stale) }
        #expect(try await shop.snapshot("s1").session?.state == .closed)
    }

    @Test(arguments: Backends.all) func aFailedCommitWritesNothing(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        let used = try await shop.coupon("USED", of: campaign, usageLimit: 1)
        let free = try await shop.coupon("FREE", of: campaign)
        _ = try await shop.store.commitSession(shop.close("s1", coupons: [used]))
        var budget = CampaignCounterDelta.redeeming(campaign)
        budget.couponRedemptions = 2
        await #expect(throws: StoreError.couponLimitReached(couponId: used.id)) {
            _ = try await shop.store.commitSession(shop.close("s2", profileId: "p", coupons: [free, used],
                                                              counters: [budget]))
        }
        let snapshot = try await shop.snapshot("s2", profileId: "p", codes: ["FREE", "USED"], countersOf: [campaign.id])
        #expect(snapshot.session == nil)
        #expect(snapshot.profile == nil)
        #expect(snapshot.coupons.map(\.usageCounter).sorted() == [0, 1])
        #expect(snapshot.campaignCounters[campaign.id]?.couponRedemptionCount == 0)
        #expect(snapshot.profileRedemptions[campaign.id] == 0)
    }

    @Test(arguments: Backends.all) func aCancelGivesEverythingBack(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        let coupon = try await shop.coupon("SAVE", of: campaign, usageLimit: 1)
        var delta = CampaignCounterDelta.redeeming(campaign, discount: 2.5)
        delta.periodKeys = ["daily:2026-11-27"]
        var close = shop.close("s1", profileId: "p", coupons: [coupon], counters: [delta],
                               periodKeys: ["daily:2026-11-27"], total: 20)
        close.couponDiscountDeltas = [coupon.id: 2.5]
        _ = try await shop.store.commitSession(close)
        let cancelled = try await shop.store.commitSession(shop.cancel(close))
        #expect(cancelled.profile?.closedSessions == 0)
        #expect(cancelled.profile?.totalSales == 0)
        let snapshot = try await shop.snapshot("s1", profileId: "p", codes: ["SAVE"], countersOf: [campaign.id],
                                               periodKeys: ["daily:2026-11-27"])
        #expect(snapshot.closeLedger == nil)
        #expect(snapshot.coupons.first?.usageCounter == 0)
        #expect(snapshot.coupons.first?.discountCounter == 0)
        #expect(snapshot.campaignCounters[campaign.id]?.couponRedemptionCount == 0)
        #expect(snapshot.campaignCounters[campaign.id]?.discountCount == 0)
        #expect(snapshot.campaignCounters[campaign.id]?.periods?["daily:2026-11-27"] == PeriodCounters())
        #expect(snapshot.profileRedemptions[campaign.id] == 0)
        #expect(snapshot.profilePeriodRedemptions[campaign.id]?["daily:2026-11-27"] == 0)
        #expect(try await shop.store.profileRedemptions(applicationId: shop.applicationId, profileId: "p",
                                                        couponIds: [coupon.id]) == [coupon.id: 0])
    }

    @Test(arguments: Backends.all) func countersOfADeletedCampaignAreIgnored(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        try await shop.store.deleteCampaign(id: campaign.id, applicationId: shop.applicationId)
        var delta = CampaignCounterDelta.redeeming(campaign, discount: 1)
        delta.maximumCouponRedemptions = 0
        delta.periodKeys = ["daily:2026-11-27"]
        _ = try await shop.store.commitSession(shop.close("s1", profileId: "p", counters: [delta]))
        #expect(try await shop.snapshot("s1").session?.state == .closed)
    }

    @Test(arguments: Backends.all) func couponListingsPage(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        for code in ["A1", "A2", "A3", "B1"] { _ = try await shop.coupon(code, of: campaign) }
        var filter = CouponFilter()
        filter.value = "A"
        let first = try await shop.store.coupons(applicationId: shop.applicationId, filter: filter,
                                                 page: PageRequest(pageSize: 2, skip: 0))
        let second = try await shop.store.coupons(applicationId: shop.applicationId, filter: filter,
                                                  page: PageRequest(pageSize: 2, skip: 2))
        #expect(first.coupons.count == 2 && first.hasMore)
        #expect(second.coupons.count == 1 && !second.hasMore)
        #expect(Set((first.coupons + second.coupons).map(\.value)) == ["A1", "A2", "A3"])
        #expect(try await shop.store.countCoupons(applicationId: shop.applicationId, filter: filter) == 3)
        await #expect(throws: StoreError.unsupportedSort(field: "secret")) {
            _ = try await shop.store.coupons(applicationId: shop.applicationId, filter: filter,
                                             page: PageRequest(sort: SortField(parsing: "secret")))
        }
    }
}
