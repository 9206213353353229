import Foundation
import PromotionEngine
import Storage
import Testing

/// Loyalty and referral budgets on every backend: each counter one guarded upsert, exact under concurrent closes
/// from two nodes (per campaign, per profile, per referral), per period; a cancel gives back; the campaign lists
/// its referral and loyalty counters.
@Suite struct ActionLimitConformanceTests {
    static let closes = 20
    static let limit = 5
    static let today = RaceConformanceTests.today

    static func campaign(_ shop: Shop, limits: [LimitConfig]) async throws -> Campaign {
        try await shop.store.createCampaign(applicationId: shop.applicationId, userId: 1,
                                            settings: CampaignSettings(name: "budgeted", limits: limits), now: shop.now)
    }

    /// A close whose rules moved `actions` in `campaign`, counted in `counters` (as `SessionTransition` plans it).
    static func close(_ shop: Shop, _ sessionId: String, _ campaign: Campaign, profileId: String? = nil,
                      actions: ActionCounts, counters: [ActionCounterChange]) -> SessionCommit
    {
        var delta = CampaignCounterDelta(campaignId: campaign.id)
        delta.actions = actions
        delta.actionCounters = counters
        return shop.close(sessionId, profileId: profileId, counters: [delta])
    }

    static func earned(_ points: Decimal) -> ActionCounts {
        var actions = ActionCounts()
        actions.createdLoyaltyPoints = points
        actions.createdLoyaltyPointsEffects = 1
        return actions
    }

    @Test(arguments: Backends.all) func pointsOfConcurrentClosesStopAtTheCampaignsBudget(_ backend: any StoreBackend)
        async throws
    {
        for _ in 1...RaceConformanceTests.rounds {
            let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
            let maximum = Decimal(10 * Self.limit)
            let campaign = try await Self.campaign(shop, limits: [LimitConfig(action: .createLoyaltyPoints, limit: maximum)])
            let key = ActionCounterKey(action: .createLoyaltyPoints)
            let commits = (0..<Self.closes).map { index in
                Self.close(shop, "s\(index)", campaign, actions: Self.earned(10),
                           counters: [ActionCounterChange(key: key, amount: 10, maximum: maximum)])
            }
            let passed = try await RaceConformanceTests.race(stores, commits,
                                                            refused: .campaignLimitReached(campaignId: campaign.id))
            #expect(passed == Self.limit)
            let counters = try await shop.store.campaign(id: campaign.id, applicationId: shop.applicationId).counters
            #expect(counters.createdLoyaltyPoints == maximum && counters.createdLoyaltyPointsEffectCount == Self.limit)
            let snapshot = try await shop.snapshot("-", countersOf: [campaign.id])
            #expect(snapshot.campaignCounters[campaign.id]?.actionCounters == [key: maximum])
        }
    }

    @Test(arguments: Backends.all) func referralsCreatedForOneProfileStopAtItsBudget(_ backend: any StoreBackend)
        async throws
    {
        for _ in 1...RaceConformanceTests.rounds {
            let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
            let campaign = try await Self.campaign(shop, limits: [
                LimitConfig(action: .createReferral, limit: Decimal(Self.limit), entities: [.profile]),
            ])
            let key = ActionCounterKey(action: .createReferral, perProfile: true)
            var created = ActionCounts()
            created.referralCreations = 1
            let commits = (0..<Self.closes).map { index in
                Self.close(shop, "s\(index)", campaign, profileId: "alice", actions: created, counters: [
                    ActionCounterChange(key: key, profileId: "alice", amount: 1, maximum: Decimal(Self.limit)),
                ])
            }
            let passed = try await RaceConformanceTests.race(stores, commits,
                                                            refused: .campaignLimitReached(campaignId: campaign.id))
            #expect(passed == Self.limit)
            let snapshot = try await shop.snapshot("-", profileId: "alice", countersOf: [campaign.id])
            #expect(snapshot.campaignCounters[campaign.id]?.actionCounters == [key: Decimal(Self.limit)])
            #expect(snapshot.campaignCounters[campaign.id]?.referralCreationCount == Self.limit)
            // Another profile's counter is its own, and starts at zero.
            let other = try await shop.snapshot("-", profileId: "bob", countersOf: [campaign.id])
            #expect(other.campaignCounters[campaign.id]?.actionCounters == [:])
        }
    }

    @Test(arguments: Backends.all) func aCodesBudgetPerReferralHoldsUnderConcurrentCloses(_ backend: any StoreBackend)
        async throws
    {
        for _ in 1...RaceConformanceTests.rounds {
            let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
            let (referral, accepted) = try await ReferralConformanceTests.referral(shop, code: "MANY", limit: 0)
            let commits = (0..<Self.closes).map { index in
                var commit = ReferralConformanceTests.close(shop, "s\(index)", friend: "friend-\(index)", accepted)
                commit.referralRedemption?.maximumUses = Self.limit
                return commit
            }
            let passed = try await RaceConformanceTests.race(stores, commits,
                                                            refused: .referralLimitReached(referralId: referral.id))
            #expect(passed == Self.limit)
            let context = try await shop.store.referralContext(applicationId: shop.applicationId, normalizedCode: "MANY",
                                                               profileId: nil)
            #expect(context.referral?.usageCounter == Self.limit)
        }
    }

    @Test(arguments: Backends.all) func perProfilePeriodCountersAndTheCancelThatGivesBack(_ backend: any StoreBackend)
        async throws
    {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await Self.campaign(shop, limits: [
            LimitConfig(action: .redeemReferral, limit: 2, period: .daily, entities: [.profile]),
        ])
        let key = ActionCounterKey(action: .redeemReferral, perProfile: true, periodKey: Self.today)
        var redeemed = ActionCounts()
        redeemed.referralRedemptions = 1
        func close(_ sessionId: String, _ profile: String) -> SessionCommit {
            Self.close(shop, sessionId, campaign, profileId: profile, actions: redeemed,
                       counters: [ActionCounterChange(key: key, profileId: profile, amount: 1, maximum: 2)])
        }
        func used(by profile: String) async throws -> [ActionCounterKey: Decimal]? {
            try await shop.snapshot("-", profileId: profile, countersOf: [campaign.id], periodKeys: [Self.today])
                .campaignCounters[campaign.id]?.actionCounters
        }
        let first = close("s1", "alice")
        _ = try await shop.store.commitSession(first)
        _ = try await shop.store.commitSession(close("s2", "alice"))
        await #expect(throws: StoreError.campaignLimitReached(campaignId: campaign.id)) {
            _ = try await shop.store.commitSession(close("s3", "alice"))
        }
        _ = try await shop.store.commitSession(close("s3", "bob"))
        #expect(try await used(by: "alice") == [key: 2])
        #expect(try await used(by: "bob") == [key: 1])
        // Another day's counter is another row: yesterday's use is not read today.
        #expect(try await shop.snapshot("-", profileId: "alice", countersOf: [campaign.id],
                                        periodKeys: ["daily:2026-11-28"]).campaignCounters[campaign.id]?.actionCounters == [:])

        _ = try await shop.store.commitSession(shop.cancel(first))
        #expect(try await used(by: "alice") == [key: 1])
        _ = try await shop.store.commitSession(close("s4", "alice"))
        let counters = try await shop.store.campaign(id: campaign.id, applicationId: shop.applicationId).counters
        #expect(counters.referralRedemptionCount == 3)
    }

    /// A budget that a single change passes is refused before any row exists.
    @Test(arguments: Backends.all) func aChangeLargerThanTheBudgetIsRefusedAlone(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await Self.campaign(shop, limits: [LimitConfig(action: .redeemLoyaltyPoints, limit: 5)])
        var spent = ActionCounts()
        spent.redeemedLoyaltyPoints = Decimal(string: "5.01")!
        spent.redeemedLoyaltyPointsEffects = 1
        let key = ActionCounterKey(action: .redeemLoyaltyPoints)
        await #expect(throws: StoreError.campaignLimitReached(campaignId: campaign.id)) {
            _ = try await shop.store.commitSession(Self.close(
                shop, "s1", campaign, actions: spent, counters: [ActionCounterChange(key: key, amount: spent.redeemedLoyaltyPoints, maximum: 5)]
            ))
        }
        spent.redeemedLoyaltyPoints = 5
        _ = try await shop.store.commitSession(Self.close(
            shop, "s1", campaign, actions: spent, counters: [ActionCounterChange(key: key, amount: 5, maximum: 5)]
        ))
        let counters = try await shop.store.campaign(id: campaign.id, applicationId: shop.applicationId).counters
        #expect(counters.redeemedLoyaltyPoints == 5 && counters.redeemedLoyaltyPointsEffectCount == 1)
    }
}
