import Foundation
import PromotionEngine
import Storage
import Testing

/// Giveaway pools on both backends: import all or nothing, export in id order, and a code handed out exactly once
/// when many closes from two nodes claim from one pool.
@Suite struct GiveawayConformanceTests {
    /// A pool of the shop's account enabled for its application, holding `codes`.
    static func pool(_ shop: Shop, codes: [String]) async throws -> GiveawaysPool {
        let pool = try await shop.store.createGiveawaysPool(GiveawaysPool(
            id: 0, accountId: 1, name: "gift cards", subscribedApplicationIds: [shop.applicationId], created: shop.now,
            createdBy: 1
        ))
        _ = try await shop.store.importGiveaways(
            codes.map { Giveaway(id: 0, poolId: pool.id, code: $0, created: shop.now) }, poolId: pool.id, accountId: 1,
            now: shop.now
        )
        return pool
    }

    /// A close announcing one award from the pool to `profileId`, as `GiveawaySteps` plans it.
    static func awardingClose(_ shop: Shop, _ sessionId: String, pool: GiveawaysPool, profileId: String) -> SessionCommit {
        var commit = shop.close(sessionId, profileId: profileId)
        let award = Effect(origin: EffectOrigin(campaignId: 1, rulesetId: 1, ruleIndex: 0, ruleName: "gift"),
                           kind: .willAwardGiveaway(GiveawayAward(poolId: pool.id, poolName: pool.name,
                                                                  recipientIntegrationId: profileId)))
        commit.effects = [award]
        commit.event.effects = [award]
        commit.giveawayClaims = [GiveawayClaim(poolId: pool.id, recipientIntegrationId: profileId)]
        return commit
    }

    @Test(arguments: Backends.all) func hundredClosesFromTwoNodesTakeFiftyDistinctCodes(_ backend: any StoreBackend)
        async throws
    {
        let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
        let pool = try await Self.pool(shop, codes: (0..<50).map { "CODE-\($0)" })
        let commits = (0..<100).map { Self.awardingClose(shop, "s\($0)", pool: pool, profileId: "p\($0)") }
        let committed = try await withThrowingTaskGroup(of: CommittedSession.self) { group in
            for (index, commit) in commits.enumerated() {
                let store = stores[index % stores.count]
                group.addTask { try await store.commitSession(commit) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let codes = committed.flatMap { $0.awardedGiveaways.map(\.code) }
        #expect(codes.count == 50)
        #expect(Set(codes).count == 50)
        // A close that found the pool empty keeps no award effect; the others store the code they took.
        for session in committed {
            let (_, effects) = try #require(try await shop.store.session(applicationId: shop.applicationId,
                                                                          sessionId: session.session.integrationId))
            if let taken = session.awardedGiveaways.first {
                #expect(effects.map(\.kind) == [.awardGiveaway(GiveawayAward(
                    poolId: pool.id, poolName: pool.name, recipientIntegrationId: taken.awardedTo ?? "",
                    giveawayId: taken.id, code: taken.code
                ))])
            } else {
                #expect(effects.isEmpty)
            }
        }
        var exported: [Giveaway] = []
        try await shop.store.forEachGiveawayPage(poolId: pool.id, accountId: 1, filter: GiveawayFilter(), pageSize: 7) {
            exported += $0
        }
        #expect(exported.count == 50)
        #expect(exported.filter { !$0.used }.isEmpty)
        #expect(Set(exported.compactMap(\.awardedTo)).count == 50)
    }

    @Test(arguments: Backends.all) func awardedCodesAreTheProfilesInventory(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let pool = try await Self.pool(shop, codes: ["A", "B", "C"])
        _ = try await shop.store.commitSession(Self.awardingClose(shop, "s1", pool: pool, profileId: "alice"))
        _ = try await shop.store.commitSession(Self.awardingClose(shop, "s2", pool: pool, profileId: "alice"))
        let inventory = try await shop.store.awardedGiveaways(applicationId: shop.applicationId,
                                                               profileIntegrationId: "alice", limit: 10)
        #expect(inventory.map(\.code) == ["A", "B"])
        #expect(try await shop.store.awardedGiveaways(applicationId: shop.applicationId, profileIntegrationId: "bob",
                                                       limit: 10).isEmpty)
    }

    @Test(arguments: Backends.all) func poolsBelongToTheirAccount(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let pool = try await Self.pool(shop, codes: ["A"])
        #expect(try await shop.store.giveawaysPool(id: pool.id, accountId: 1) == pool)
        await #expect(throws: StoreError.notFound(entity: "giveaways pool")) {
            try await shop.store.giveawaysPool(id: pool.id, accountId: 2)
        }
        #expect(try await shop.store.giveawaysPools(accountId: 1, page: PageRequest(pageSize: 10)).pools == [pool])
    }
}
