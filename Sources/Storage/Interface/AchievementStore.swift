import Foundation
import PromotionEngine

/// An achievement and a profile's latest tracker in it (nil: the profile has none).
public typealias AchievementWithTracker = (achievement: Achievement, latest: AchievementTracker?)

/// Achievements of campaigns and the progress trackers of profiles in them.
public protocol AchievementStore: Sendable {
    /// Inserts the achievement (its `id` is ignored); `StoreError.conflict` when the campaign has one of that name.
    func createAchievement(_ achievement: Achievement) async throws -> Achievement
    /// Replaces the stored achievement of the same id and campaign (name included; conflict as on create).
    func updateAchievement(_ achievement: Achievement) async throws -> Achievement
    /// Deletes the achievement and its trackers.
    func deleteAchievement(id: Int64, campaignId: Int64) async throws
    func achievement(id: Int64, campaignId: Int64) async throws -> Achievement
    /// A page of the campaign's achievements in id order, those whose title contains `title` when given.
    func achievements(campaignId: Int64, title: String?, page: PageRequest) async throws
        -> (achievements: [Achievement], hasMore: Bool)
    /// Whether any profile has a tracker in the achievement.
    func achievementHasProgress(id: Int64) async throws -> Bool
    /// Every achievement of the application's campaigns, each with the profile's latest tracker (nil: none); one
    /// read, for a session whose rules use achievements and for the profile's achievement listings.
    func achievementsWithLatestTrackers(applicationId: Int64, profileIntegrationId: String) async throws
        -> [AchievementWithTracker]
    /// The profile's trackers in the achievement, newest first.
    func achievementTrackers(achievementId: Int64, profileIntegrationId: String) async throws -> [AchievementTracker]
    /// A page of the achievement's trackers in id order after `afterId` (keyset paging, for the export).
    func achievementTrackers(achievementId: Int64, afterId: Int64, pageSize: Int) async throws
        -> (trackers: [AchievementTracker], hasMore: Bool)
}

extension AchievementStore {
    /// Every tracker of the achievement, a page at a time (only one page in memory).
    public func forEachAchievementTrackerPage(achievementId: Int64, pageSize: Int = 1000,
                                              _ body: ([AchievementTracker]) async throws -> Void) async throws
    {
        var afterId: Int64 = 0
        while true {
            let (page, hasMore) = try await achievementTrackers(achievementId: achievementId, afterId: afterId,
                                                                pageSize: pageSize)
            if !page.isEmpty { try await body(page) }
            guard hasMore, let last = page.last else { return }
            afterId = last.id
        }
    }
}

/// What a commit's achievement part did: per `increaseAchievementProgress` of the commit (in effect order) the
/// progress as stored (nil: the tracker took none, completed or expired meanwhile), and a cancel's rollbacks.
public struct AchievementOutcome: Sendable {
    public var stored: [AchievementProgress?] = []
    public var rollbacks: [AchievementRollback] = []

    public init(stored: [AchievementProgress?] = [], rollbacks: [AchievementRollback] = []) {
        (self.stored, self.rollbacks) = (stored, rollbacks)
    }

    public var isEmpty: Bool { stored.isEmpty && rollbacks.isEmpty }

    /// Records what the upsert stored for `planned`. When the evaluation counted on completing the achievement
    /// (a reward may hang on it) and another node's close completed it first, the commit fails with
    /// `sessionChanged`: the service reads the standings again and evaluates anew, so no completion rewards twice.
    public mutating func record(_ stored: AchievementProgress?, planned: AchievementProgress) throws {
        if planned.isJustCompleted, stored?.isJustCompleted != true { throw StoreError.sessionChanged }
        self.stored.append(stored)
    }

    /// The effects as stored: each increase with its tracker id, value and completion from the database (or
    /// dropped), the rollbacks appended.
    public func apply(to effects: [Effect]) -> [Effect] {
        guard !isEmpty else { return effects }
        var remaining = stored[...]
        let increased = effects.compactMap { effect -> Effect? in
            guard effect.achievementProgress != nil, let next = remaining.popFirst() else { return effect }
            guard let progress = next else { return nil }
            var effect = effect
            effect.kind = .increaseAchievementProgress(progress)
            return effect
        }
        return increased + rollbacks.map(\.effect)
    }
}

extension CommittedSession {
    /// Keeps the effects as the commit's achievement part stored them.
    public mutating func recordAchievements(_ outcome: AchievementOutcome, of commit: SessionCommit) {
        guard !outcome.isEmpty else { return }
        effects = outcome.apply(to: effects ?? commit.effects)
    }
}
