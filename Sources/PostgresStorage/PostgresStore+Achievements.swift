import Foundation
import PromotionEngine
import Storage

extension PostgresStore: AchievementStore {
    public func createAchievement(_ achievement: Achievement) async throws -> Achievement {
        let override = try StoredAchievement.override(achievement.periodEndOverride)
        return try await write { db in
            guard let id = try await db.value(Int64.self, AchievementStatements.insert, [
                achievement.applicationId, achievement.campaignId, achievement.name, achievement.title,
                achievement.description, "\(achievement.target)", achievement.period, override,
                achievement.recurrencePolicy.rawValue, achievement.activationPolicy.rawValue,
                achievement.fixedStartDate, achievement.endDate, achievement.allowRollbackAfterCompletion,
                achievement.created, achievement.userId,
            ]) else { throw Self.achievementNameTaken(achievement.name) }
            var stored = achievement
            stored.id = id
            return stored
        }
    }

    public func updateAchievement(_ achievement: Achievement) async throws -> Achievement {
        let override = try StoredAchievement.override(achievement.periodEndOverride)
        return try await write { db in
            _ = try await Self.achievement(db, id: achievement.id, campaignId: achievement.campaignId)
            try await Self.mappingUniqueViolation(to: Self.achievementNameTaken(achievement.name)) {
                try await db.execute(AchievementStatements.update, [
                    achievement.name, achievement.title, achievement.description, "\(achievement.target)",
                    achievement.period, override, achievement.recurrencePolicy.rawValue,
                    achievement.activationPolicy.rawValue, achievement.fixedStartDate, achievement.endDate,
                    achievement.allowRollbackAfterCompletion, achievement.id, achievement.campaignId,
                ])
            }
            return achievement
        }
    }

    public func deleteAchievement(id: Int64, campaignId: Int64) async throws {
        try await write { db in
            guard try await db.changes("DELETE FROM achievement WHERE id = ? AND campaign_id = ? RETURNING id",
                                       [id, campaignId]) == 1
            else { throw StoreError.notFound(entity: "achievement") }
        }
    }

    public func achievement(id: Int64, campaignId: Int64) async throws -> Achievement {
        try await read { db in try await Self.achievement(db, id: id, campaignId: campaignId) }
    }

    public func achievements(campaignId: Int64, title: String?, page: PageRequest) async throws
        -> (achievements: [Achievement], hasMore: Bool)
    {
        try await read { db in
            let rows = try await db.rows("""
                SELECT * FROM achievement WHERE campaign_id = ? AND strpos(title, ?) > 0 ORDER BY id LIMIT ? OFFSET ?
                """, [campaignId, title ?? "", page.pageSize + 1, page.skip])
            return (try rows.prefix(page.pageSize).map(Self.achievement(from:)), rows.count > page.pageSize)
        }
    }

    public func achievementHasProgress(id: Int64) async throws -> Bool {
        try await read { db in
            try await db.value(Bool.self, "SELECT EXISTS (SELECT 1 FROM achievement_progress WHERE achievement_id = ?)",
                               [id]) ?? false
        }
    }

    public func achievementsWithLatestTrackers(applicationId: Int64, profileIntegrationId: String) async throws
        -> [AchievementWithTracker]
    {
        try await read { db in
            let rows = try await db.rows(AchievementStatements.withLatestTrackers, [profileIntegrationId, applicationId])
            return try rows.map { row -> AchievementWithTracker in
                let achievement = try Self.achievement(from: row)
                guard let trackerId = try row["t_id"] as Int64? else { return (achievement, nil) }
                var tracker = AchievementTracker(
                    id: trackerId, achievementId: achievement.id, profileIntegrationId: profileIntegrationId,
                    periodKey: try row["t_period_key"], progress: StoredMoney.decimal(try row["t_progress_units"]),
                    target: StoredMoney.decimal(try row["t_target_units"]), startDate: try row.date("t_start_date")
                )
                tracker.endDate = try row.optionalDate("t_end_date")
                tracker.completionDate = try row.optionalDate("t_completion_date")
                return (achievement, tracker)
            }
        }
    }

    public func achievementTrackers(achievementId: Int64, profileIntegrationId: String) async throws
        -> [AchievementTracker]
    {
        try await read { db in
            try await db.rows("""
                SELECT * FROM achievement_progress WHERE achievement_id = ? AND profile_integration_id = ? ORDER BY id DESC
                """, [achievementId, profileIntegrationId]).map(Self.tracker(from:))
        }
    }

    public func achievementTrackers(achievementId: Int64, afterId: Int64, pageSize: Int) async throws
        -> (trackers: [AchievementTracker], hasMore: Bool)
    {
        try await read { db in
            let rows = try await db.rows("""
                SELECT * FROM achievement_progress WHERE achievement_id = ? AND id > ? ORDER BY id LIMIT ?
                """, [achievementId, afterId, pageSize + 1])
            return (try rows.prefix(pageSize).map(Self.tracker(from:)), rows.count > pageSize)
        }
    }

    /// SQLite's `applyAchievements`: a close's guarded upserts (and entries), or a cancel's rollbacks, after the
    /// giveaway claims; the session's stored effects rewritten with the outcome.
    static func applyAchievements(_ db: Database, _ commit: SessionCommit, session: CustomerSession,
                                  effects: [Effect]) async throws -> AchievementOutcome
    {
        var outcome = AchievementOutcome()
        let now = session.updated
        for progress in commit.achievementProgress {
            let delta = StoredMoney.units(progress.delta)
            guard let row = try await db.row(AchievementStatements.addProgress, [
                progress.achievementId, progress.profileIntegrationId, progress.periodKey, delta,
                StoredMoney.units(progress.target), progress.startDate ?? now, progress.endDate,
                StoredAchievement.firstCompletion(progress, now: now), now,
            ]) else {
                try outcome.record(nil, planned: progress)
                continue
            }
            var stored = progress
            stored.progressTrackerId = try row["id"] as Int64
            stored.value = StoredMoney.decimal(try row["progress_units"])
            stored.isJustCompleted = try row.optionalDate("completion_date") != nil
            try await db.execute(AchievementStatements.insertEntry,
                                 [stored.progressTrackerId, session.applicationId, session.integrationId, delta, now])
            try outcome.record(stored, planned: progress)
        }
        if commit.rollsBackAchievements {
            let entries = try await db.rows(AchievementStatements.entriesToRollBack,
                                            [session.applicationId, session.integrationId, false])
            for entry in entries {
                let delta: Int64 = try entry["delta_units"]
                let trackerId: Int64 = try entry["tracker_id"]
                guard let row = try await db.row(AchievementStatements.rollBack, [
                    delta, delta, trackerId, try entry["allow_rollback_after_completion"] as Bool,
                ]) else { continue }
                try await db.execute(AchievementStatements.markRolledBack, [true, try entry["entry_id"] as Int64])
                outcome.rollbacks.append(AchievementRollback(
                    achievementId: try entry["achievement_id"], achievementName: try entry["name"],
                    progressTrackerId: trackerId, decreaseProgressBy: StoredMoney.decimal(delta),
                    currentProgress: StoredMoney.decimal(try row["progress_units"]),
                    target: StoredMoney.decimal(try row["target_units"]), campaignId: try entry["campaign_id"]
                ))
            }
        }
        if !outcome.isEmpty {
            try await db.execute("UPDATE customer_session SET effects = ? WHERE id = ?",
                                 [JSONText.effects(outcome.apply(to: effects)), session.id])
        }
        return outcome
    }

    private static func achievementNameTaken(_ name: String) -> StoreError {
        StoreError.conflict("an achievement named \(name) exists in the campaign already")
    }

    private static func achievement(_ db: Database, id: Int64, campaignId: Int64) async throws -> Achievement {
        guard let row = try await db.row("SELECT * FROM achievement WHERE id = ? AND campaign_id = ?", [id, campaignId])
        else { throw StoreError.notFound(entity: "achievement") }
        return try achievement(from: row)
    }

    private static func achievement(from row: Row) throws -> Achievement {
        var achievement = Achievement(
            id: try row["id"], campaignId: try row["campaign_id"], applicationId: try row["application_id"],
            name: try row["name"], title: try row["title"], description: try row["description"],
            target: StoredAchievement.target(try row["target"]),
            recurrencePolicy: Achievement.RecurrencePolicy(rawValue: try row["recurrence_policy"]) ?? .noRecurrence,
            activationPolicy: Achievement.ActivationPolicy(rawValue: try row["activation_policy"]) ?? .userAction,
            created: try row.date("created"), userId: try row["user_id"]
        )
        achievement.period = try row["period"]
        achievement.periodEndOverride = try StoredAchievement.override(try row["period_end_override"] as String?)
        achievement.fixedStartDate = try row.optionalDate("fixed_start_date")
        achievement.endDate = try row.optionalDate("end_date")
        achievement.allowRollbackAfterCompletion = try row["allow_rollback_after_completion"]
        return achievement
    }

    private static func tracker(from row: Row) throws -> AchievementTracker {
        var tracker = AchievementTracker(
            id: try row["id"], achievementId: try row["achievement_id"],
            profileIntegrationId: try row["profile_integration_id"], periodKey: try row["period_key"],
            progress: StoredMoney.decimal(try row["progress_units"]),
            target: StoredMoney.decimal(try row["target_units"]), startDate: try row.date("start_date")
        )
        tracker.endDate = try row.optionalDate("end_date")
        tracker.completionDate = try row.optionalDate("completion_date")
        return tracker
    }
}
