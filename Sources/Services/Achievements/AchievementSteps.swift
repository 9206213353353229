import Foundation
import PromotionEngine
import Storage

/// Achievement steps of a session update: the profile's standings for the rules (one read, only for lineups whose
/// rules use achievements), and at the close the progress the commit stores.
public enum AchievementSteps {
    /// The profile's standing in every achievement of the application at `now` (none for an anonymous session).
    public static func standings(_ store: any Store, application: Application, profileId: String?, now: Date)
        async throws -> [AchievementStanding]
    {
        guard let profileId, !profileId.isEmpty else { return [] }
        return try await store.achievementsWithLatestTrackers(applicationId: application.id,
                                                              profileIntegrationId: profileId)
            .map { AchievementStanding.of($0.achievement, latest: $0.latest, now: now, timeZone: application.timeZone) }
    }

    /// A closing commit stores its increases (each one guarded upsert) and its ledger remembers it did, so a
    /// cancel or reopen gives them back.
    static func close(_ commit: inout SessionCommit) {
        commit.achievementProgress = commit.effects.compactMap(\.achievementProgress)
        guard !commit.achievementProgress.isEmpty, case .set(var ledger) = commit.closeLedger else { return }
        ledger.achievements = true
        commit.closeLedger = .set(ledger)
    }
}
