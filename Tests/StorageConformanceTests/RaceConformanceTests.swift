import Foundation
import PromotionEngine
import Storage
import Testing

/// Many closes at once on one limit, from two stores on one database (two nodes): exactly the limit passes,
/// every time, and the counter ends at the limit.
@Suite struct RaceConformanceTests {
    static let closes = 60
    static let limit = 10
    static let rounds = 3
    static let today = "daily:2026-11-27"

    /// Fires the commits all at once, alternating between the stores; counts the ones that pass. Any failure
    /// other than `refused` fails the test.
    static func race(_ stores: [any Store], _ commits: [SessionCommit], refused: StoreError) async throws -> Int {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for (index, commit) in commits.enumerated() {
                let store = stores[index % stores.count]
                group.addTask {
                    do {
                        _ = try await store.commitSession(commit)
                        return true
                    } catch let error as StoreError where error == refused {
                        return false
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
    }

    /// A shop on a fresh database, and a second store (node) on the same database.
    static func twoNodes(_ backend: any StoreBackend) async throws -> (Shop, [any Store]) {
        let database = try await backend.makeDatabase()
        let shop = try await Shop.open(try await database.open())
        return (shop, [shop.store, try await database.open()])
    }

    @Test(arguments: Backends.all) func oneLimitedCoupon(_ backend: any StoreBackend) async throws {
        for _ in 1...Self.rounds {
            let (shop, stores) = try await Self.twoNodes(backend)
            let coupon = try await shop.coupon("LIMITED", of: try await shop.campaign(), usageLimit: Self.limit)
            let commits = (0..<Self.closes).map { shop.close("s\($0)", coupons: [coupon]) }
            let passed = try await Self.race(stores, commits, refused: .couponLimitReached(couponId: coupon.id))
            #expect(passed == Self.limit)
            #expect(try await shop.snapshot("-", codes: ["LIMITED"]).coupons.first?.usageCounter == Self.limit)
        }
    }

    @Test(arguments: Backends.all) func oneCouponDiscountLimit(_ backend: any StoreBackend) async throws {
        for _ in 1...Self.rounds {
            let (shop, stores) = try await Self.twoNodes(backend)
            let coupon = try await shop.coupon("CAPPED", of: try await shop.campaign())
            let commits = (0..<Self.closes).map { index in
                var commit = shop.close("s\(index)", coupons: [coupon])
                commit.couponDiscountDeltas = [coupon.id: Decimal(string: "0.1")!]
                commit.couponDiscountLimits = [coupon.id: Decimal(Self.limit) / 10]
                return commit
            }
            let passed = try await Self.race(stores, commits, refused: .couponLimitReached(couponId: coupon.id))
            #expect(passed == Self.limit)
            #expect(try await shop.snapshot("-", codes: ["CAPPED"]).coupons.first?.discountCounter == 1)
        }
    }

    @Test(arguments: Backends.all) func oneCampaignBudget(_ backend: any StoreBackend) async throws {
        for _ in 1...Self.rounds {
            let (shop, stores) = try await Self.twoNodes(backend)
            let campaign = try await shop.campaign()
            var delta = CampaignCounterDelta.redeeming(campaign, discount: Decimal(string: "0.1")!)
            delta.maximumDiscount = Decimal(Self.limit) / 10
            let commits = (0..<Self.closes).map { shop.close("s\($0)", counters: [delta]) }
            let passed = try await Self.race(stores, commits, refused: .campaignLimitReached(campaignId: campaign.id))
            #expect(passed == Self.limit)
            let counters = try await shop.store.campaign(id: campaign.id, applicationId: shop.applicationId).counters
            #expect(counters.discountCount == 1)
            #expect(counters.couponRedemptionCount == Self.limit)
        }
    }

    @Test(arguments: Backends.all) func onePeriodBudget(_ backend: any StoreBackend) async throws {
        for _ in 1...Self.rounds {
            let (shop, stores) = try await Self.twoNodes(backend)
            let campaign = try await shop.campaign()
            var delta = CampaignCounterDelta.redeeming(campaign)
            delta.periodKeys = [Self.today]
            delta.periodMaximums = [Self.today: .init(couponRedemptions: Self.limit)]
            let commits = (0..<Self.closes).map { shop.close("s\($0)", counters: [delta]) }
            let passed = try await Self.race(stores, commits, refused: .campaignLimitReached(campaignId: campaign.id))
            #expect(passed == Self.limit)
            let periods = try await shop.snapshot("-", countersOf: [campaign.id], periodKeys: [Self.today])
                .campaignCounters[campaign.id]?.periods
            #expect(periods?[Self.today]?.couponRedemptions == Self.limit)
        }
    }

    @Test(arguments: Backends.all) func onePerProfileLimit(_ backend: any StoreBackend) async throws {
        for _ in 1...Self.rounds {
            let (shop, stores) = try await Self.twoNodes(backend)
            let campaign = try await shop.campaign()
            let coupon = try await shop.coupon("EVERYONE", of: campaign)
            var delta = CampaignCounterDelta.redeeming(campaign)
            delta.maximumProfileRedemptions = Self.limit
            let commits = (0..<Self.closes).map {
                shop.close("s\($0)", profileId: "alice", coupons: [coupon], counters: [delta], periodKeys: [Self.today])
            }
            let passed = try await Self.race(stores, commits, refused: .campaignLimitReached(campaignId: campaign.id))
            #expect(passed == Self.limit)
            let snapshot = try await shop.snapshot("-", profileId: "alice", countersOf: [campaign.id])
            #expect(snapshot.profileRedemptions[campaign.id] == Self.limit)
            #expect(snapshot.profile?.closedSessions == Self.limit)
            #expect(snapshot.profile?.totalSales == Decimal(10 * Self.limit))
        }
    }
}
