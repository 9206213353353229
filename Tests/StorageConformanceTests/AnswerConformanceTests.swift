import Foundation
import PromotionEngine
import Storage
import Testing

/// What an answer shows (`AnswerReads`), read by the commit after its writes or by a dry run's snapshot, and the
/// profile counters a commit returns without reading the row back: written once, run on every backend.
@Suite struct AnswerConformanceTests {
    @Test(arguments: Backends.all) func aCommitAnswersTheStateItProduced(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        let coupon = try await shop.coupon("SAVE", of: campaign, usageLimit: 5)
        let audience = try await shop.store.createAudience(Audience(id: 0, accountId: 1, name: "vip", created: shop.now))
        _ = try await shop.store.commitSession(shop.close("s1", profileId: "p1", coupons: [coupon],
                                                          counters: [.redeeming(campaign)]))

        var close = shop.close("s2", profileId: "p1", coupons: [coupon], counters: [.redeeming(campaign)])
        close.audienceChanges = [AudienceMembershipChange(audienceId: audience.id, profileIntegrationId: "p1", joins: true)]
        close.answerReads = reads(campaigns: [campaign.id], coupons: [coupon.id], returnsOf: "s2")
        let answer = try await shop.store.commitSession(close).answer
        // After this close's counters moved, in its transaction: two redemptions, not the one before it.
        #expect(answer.campaigns[campaign.id]?.counters.couponRedemptionCount == 2)
        #expect(answer.coupons.map(\.usageCounter) == [2])
        #expect(answer.profileCouponRedemptions[coupon.id] == 2)
        #expect(answer.audiences.map(\.name) == ["vip"])
        #expect(answer.profile?.closedSessions == 2)
        #expect(answer.returns.isEmpty)
    }

    @Test(arguments: Backends.all) func aCommitThatAsksNothingReadsNothing(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        let committed = try await shop.store.commitSession(shop.close("s1", profileId: "p1",
                                                                      counters: [.redeeming(campaign)]))
        #expect(committed.answer.campaigns.isEmpty && committed.answer.profile == nil && committed.answer.coupons.isEmpty)
    }

    @Test(arguments: Backends.all) func aDryRunsSnapshotReadsTheAnswer(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        let coupon = try await shop.coupon("SAVE", of: campaign)
        _ = try await shop.store.commitSession(shop.close("s1", profileId: "p1", coupons: [coupon],
                                                          counters: [.redeeming(campaign)]))
        // The profile is the snapshot's (from the stored session), the coupons those it read.
        var answering = reads(campaigns: [campaign.id], coupons: [], returnsOf: "s1")
        answering.profileId = nil
        let snapshot = try await shop.store.sessionSnapshot(
            applicationId: shop.applicationId, sessionId: "s1", profileId: nil,
            couponCodes: .normalized(["SAVE"]), countersOf: [], periodKeys: [], answering: answering
        )
        #expect(snapshot.answer.campaigns[campaign.id]?.counters.couponRedemptionCount == 1)
        #expect(snapshot.answer.coupons.map(\.id) == [coupon.id])
        #expect(snapshot.answer.profileCouponRedemptions[coupon.id] == 1)
        #expect(snapshot.answer.profile?.integrationId == "p1")
    }

    @Test(arguments: Backends.all) func aProfileReadBeforeGetsItsCountersFromTheStatement(_ backend: any StoreBackend)
        async throws
    {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let first = try await shop.store.commitSession(shop.close("s1", profileId: "p1", total: Decimal(string: "12.34")!))
        let stored = try #require(first.profile)
        #expect(stored.totalSales == Decimal(string: "12.34"))
        var close = shop.close("s2", profileId: "p1", total: Decimal(string: "0.66")!)
        close.profile?.asRead = stored
        let committed = try #require(try await shop.store.commitSession(close).profile)
        #expect(committed.id == stored.id)
        #expect(committed.closedSessions == 2)
        #expect(committed.totalSales == 13)
        // Exact decimal sums in the database, whichever way the commit returned the row.
        let read = try #require(try await shop.store.profile(applicationId: shop.applicationId, integrationId: "p1"))
        #expect(read.closedSessions == 2 && read.totalSales == 13)
        // A cancel moves the counters back in the same statement.
        var cancel = shop.cancel(close)
        cancel.profile?.asRead = committed
        let cancelled = try #require(try await shop.store.commitSession(cancel).profile)
        #expect(cancelled.closedSessions == 1 && cancelled.totalSales == Decimal(string: "12.34"))
    }

    private func reads(campaigns: [Int64], coupons: [Int64], returnsOf sessionId: String) -> AnswerReads {
        var reads = AnswerReads()
        reads.campaignIds = campaigns
        reads.accountId = 1
        reads.profileId = "p1"
        reads.profile = true
        reads.couponIds = coupons
        reads.returnsOfSession = sessionId
        return reads
    }
}
