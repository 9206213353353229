import Foundation
import PromotionEngine
import Storage
import Testing

/// Achievements on both backends: names unique per campaign, progress by guarded upserts in session commits (one
/// completion however many commits race), and a cancel giving the progress back.
@Suite struct AchievementConformanceTests {
    static func achievement(_ shop: Shop, target: Decimal, allowRollback: Bool = false) async throws -> Achievement {
        let campaign = try await shop.campaign()
        var achievement = Achievement(campaignId: campaign.id, applicationId: shop.applicationId, name: "TenOrders",
                                      title: "Ten orders", description: "", target: target, created: shop.now, userId: 1)
        achievement.allowRollbackAfterCompletion = allowRollback
        return try await shop.store.createAchievement(achievement)
    }

    /// A close adding `delta` to the profile's first period of the achievement, as `AchievementSteps` plans it.
    static func progressingClose(_ shop: Shop, _ sessionId: String, _ achievement: Achievement, profileId: String,
                                 delta: Decimal = 1) -> SessionCommit
    {
        var commit = shop.close(sessionId, profileId: profileId)
        var progress = AchievementProgress(achievementId: achievement.id, achievementName: achievement.name,
                                           delta: delta, value: delta, target: achievement.target, isJustCompleted: false)
        (progress.profileIntegrationId, progress.periodKey, progress.startDate) = (profileId, "u1", shop.now)
        let effect = Effect(origin: EffectOrigin(campaignId: achievement.campaignId, rulesetId: 1, ruleIndex: 0,
                                                 ruleName: "count"),
                            kind: .increaseAchievementProgress(progress))
        commit.effects = [effect]
        commit.event.effects = [effect]
        commit.achievementProgress = [progress]
        if case .set(var ledger) = commit.closeLedger {
            ledger.achievements = true
            commit.closeLedger = .set(ledger)
        }
        return commit
    }

    @Test(arguments: Backends.all) func fortyClosesFromTwoNodesCompleteOnce(_ backend: any StoreBackend) async throws {
        let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
        let achievement = try await Self.achievement(shop, target: 10)
        let commits = (0..<40).map { Self.progressingClose(shop, "s\($0)", achievement, profileId: "p") }
        let committed = try await withThrowingTaskGroup(of: CommittedSession.self) { group in
            for (index, commit) in commits.enumerated() {
                let store = stores[index % stores.count]
                group.addTask { try await store.commitSession(commit) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let stored = committed.compactMap { $0.effects?.compactMap(\.achievementProgress).first }
        #expect(stored.count == 10)
        #expect(stored.filter(\.isJustCompleted).count == 1)
        #expect(stored.filter(\.isJustCompleted).first?.value == 10)
        #expect(Set(stored.map(\.value)) == Set((1...10).map { Decimal($0) }))
        // The commits past the target store no increase at all.
        #expect(committed.filter { $0.effects?.isEmpty == true }.count == 30)
        let trackers = try await shop.store.achievementTrackers(achievementId: achievement.id, profileIntegrationId: "p")
        #expect(trackers.count == 1)
        #expect(trackers.first?.progress == 10)
        #expect(trackers.first?.completionDate != nil)
    }

    @Test(arguments: Backends.all) func cancellingACloseGivesItsProgressBack(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let achievement = try await Self.achievement(shop, target: 3, allowRollback: true)
        var closes: [SessionCommit] = []
        for index in 1...3 {
            let close = Self.progressingClose(shop, "s\(index)", achievement, profileId: "alice")
            closes.append(close)
            let committed = try await shop.store.commitSession(close)
            let stored = try #require(committed.effects?.first?.achievementProgress)
            #expect(stored.value == Decimal(index))
            #expect(stored.isJustCompleted == (index == 3))
        }
        var cancel = shop.cancel(closes[2])
        cancel.rollsBackAchievements = true
        let cancelled = try await shop.store.commitSession(cancel)
        guard case .rollbackIncreasedAchievementProgress(let rollback)? = cancelled.effects?.last?.kind else {
            Issue.record("no rollbackIncreasedAchievementProgress in \(String(describing: cancelled.effects))")
            return
        }
        #expect(rollback.currentProgress == 2)
        #expect(rollback.decreaseProgressBy == 1)
        let latest = try await shop.store.achievementsWithLatestTrackers(applicationId: shop.applicationId,
                                                                          profileIntegrationId: "alice")
        #expect(latest.first?.latest?.progress == 2)
        #expect(latest.first?.latest?.completionDate == nil)
        // A second cancel of the same close has nothing left to give back.
        var again = shop.cancel(closes[2])
        again.rollsBackAchievements = true
        again.session.integrationId = "s3"
        again.expectedUpdateCount = 2
        again.session.updateCount = 3
        let twice = try await shop.store.commitSession(again)
        #expect(twice.effects?.contains { $0.type == .rollbackIncreasedAchievementProgress } != true)
    }

    @Test(arguments: Backends.all) func aCompletedTrackerKeepsItsProgressWithoutRollbackAllowed(_ backend: any StoreBackend)
        async throws
    {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let achievement = try await Self.achievement(shop, target: 1)
        let close = Self.progressingClose(shop, "s1", achievement, profileId: "bob")
        _ = try await shop.store.commitSession(close)
        var cancel = shop.cancel(close)
        cancel.rollsBackAchievements = true
        let cancelled = try await shop.store.commitSession(cancel)
        #expect(cancelled.effects?.contains { $0.type == .rollbackIncreasedAchievementProgress } != true)
        let trackers = try await shop.store.achievementTrackers(achievementId: achievement.id, profileIntegrationId: "bob")
        #expect(trackers.map(\.progress) == [1])
    }

    /// A close planned as the completing one, when another close completed the achievement first, is refused
    /// (`sessionChanged`: the service evaluates it again), so its reward is not given twice.
    @Test(arguments: Backends.all) func aCompletionAnotherCloseTookFirstIsEvaluatedAgain(_ backend: any StoreBackend)
        async throws
    {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let achievement = try await Self.achievement(shop, target: 1)
        _ = try await shop.store.commitSession(Self.progressingClose(shop, "first", achievement, profileId: "carol"))
        var late = Self.progressingClose(shop, "late", achievement, profileId: "carol")
        late.achievementProgress[0].isJustCompleted = true
        await #expect(throws: StoreError.sessionChanged) { try await shop.store.commitSession(late) }
        #expect(try await shop.store.session(applicationId: shop.applicationId, sessionId: "late") == nil)
    }

    @Test(arguments: Backends.all) func namesAreUniquePerCampaign(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let first = try await Self.achievement(shop, target: 5)
        var twin = first
        twin.title = "Another"
        await #expect(throws: StoreError.self) { try await shop.store.createAchievement(twin) }
        var other = try await Self.achievement(shop, target: 5)  // a new campaign: the same name is fine
        #expect(other.id != first.id)
        other.title = "Renamed"
        other.target = 7
        _ = try await shop.store.updateAchievement(other)
        let stored = try await shop.store.achievement(id: other.id, campaignId: other.campaignId)
        #expect(stored == other)
        let page = try await shop.store.achievements(campaignId: other.campaignId, title: "Ren", page: PageRequest(pageSize: 10))
        #expect(page.achievements == [other])
        try await shop.store.deleteAchievement(id: other.id, campaignId: other.campaignId)
        await #expect(throws: StoreError.notFound(entity: "achievement")) {
            try await shop.store.achievement(id: other.id, campaignId: other.campaignId)
        }
    }
}
