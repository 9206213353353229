import Foundation
import PromotionEngine
import Storage
import Testing

/// The referral guard on every backend: a code's usage limit and the one-referral-per-friend rule hold under
/// concurrent closes from two nodes, and a cancel gives both back.
@Suite struct ReferralConformanceTests {
    static func referral(_ shop: Shop, code: String, limit: Int) async throws -> (Referral, AcceptedReferral) {
        let campaign = try await shop.campaign("referrals")
        let referral = try #require(try await shop.store.insertReferrals(
            [Referral(id: 0, campaignId: campaign.id, code: code, advocateProfileIntegrationId: "advocate",
                      usageLimit: limit, created: shop.now)],
            applicationId: shop.applicationId, normalizedCodes: [code], skipExisting: false
        ).first)
        let accepted = AcceptedReferral(referralId: referral.id, campaignId: campaign.id, code: code,
                                        advocateProfileIntegrationId: "advocate")
        return (referral, accepted)
    }

    static func close(_ shop: Shop, _ sessionId: String, friend: String?, _ accepted: AcceptedReferral) -> SessionCommit {
        var commit = shop.close(sessionId, profileId: friend)
        commit.referralRedemption = ReferralRedemption(referral: accepted, friendProfileIntegrationId: friend, direction: 1)
        return commit
    }

    @Test(arguments: Backends.all) func aSingleUseCodeIsRedeemedOnceByConcurrentCloses(_ backend: any StoreBackend)
        async throws
    {
        for _ in 1...RaceConformanceTests.rounds {
            let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
            let (referral, accepted) = try await Self.referral(shop, code: "FRIEND-1", limit: 1)
            let commits = (0..<RaceConformanceTests.closes).map { Self.close(shop, "s\($0)", friend: "friend-\($0)", accepted) }
            let passed = try await RaceConformanceTests.race(stores, commits,
                                                            refused: .referralLimitReached(referralId: referral.id))
            #expect(passed == 1)
            let context = try await shop.store.referralContext(applicationId: shop.applicationId,
                                                               normalizedCode: "FRIEND-1", profileId: nil)
            #expect(context.referral?.usageCounter == 1)
        }
    }

    @Test(arguments: Backends.all) func aFriendIsReferredOncePerCampaign(_ backend: any StoreBackend) async throws {
        let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
        let (referral, accepted) = try await Self.referral(shop, code: "MANY", limit: 0)
        // The same friend closes many sessions with an unlimited code at once: one referral counts.
        let commits = (0..<20).map { Self.close(shop, "s\($0)", friend: "friend", accepted) }
        let passed = try await RaceConformanceTests.race(stores, commits, refused: .referralLimitReached(referralId: referral.id))
        #expect(passed == 1)
        let context = try await shop.store.referralContext(applicationId: shop.applicationId, normalizedCode: "MANY",
                                                           profileId: "friend")
        #expect(context.friendAlreadyReferred && context.referral?.usageCounter == 1 && !context.advocateExists)
        let friends = try await shop.store.referredFriends(applicationId: shop.applicationId,
                                                           advocateProfileIntegrationId: "advocate", page: PageRequest())
        #expect(friends.friends.map(\.friendProfileIntegrationId) == ["friend"])
    }

    @Test(arguments: Backends.all) func aCancelGivesTheCodeBack(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let (referral, accepted) = try await Self.referral(shop, code: "ONCE", limit: 1)
        let closed = Self.close(shop, "s1", friend: "friend", accepted)
        _ = try await shop.store.commitSession(closed)
        await #expect(throws: StoreError.referralLimitReached(referralId: referral.id)) {
            _ = try await shop.store.commitSession(Self.close(shop, "s2", friend: "other", accepted))
        }
        var cancel = shop.cancel(closed)
        cancel.referralRedemption = ReferralRedemption(referral: accepted, friendProfileIntegrationId: "friend", direction: -1)
        _ = try await shop.store.commitSession(cancel)
        let context = try await shop.store.referralContext(applicationId: shop.applicationId, normalizedCode: "ONCE",
                                                           profileId: "friend")
        #expect(context.referral?.usageCounter == 0 && !context.friendAlreadyReferred)
        _ = try await shop.store.commitSession(Self.close(shop, "s3", friend: "other", accepted))
    }
}
