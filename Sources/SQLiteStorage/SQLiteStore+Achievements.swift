import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: AchievementStore {
    public func createAchievement(_ achievement: Achievement) async throws -> Achievement {
        let override = try StoredAchievement.override(achievement.periodEndOverride)
        return try await pool.write { db in
            guard let id = try Int64.fetchOne(db, sql: AchievementStatements.insert, arguments: [
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
        return try await pool.write { db in
            _ = try Self.achievement(db, id: achievement.id, campaignId: achievement.campaignId)
            try Self.mappingConstraints("an achievement named \(achievement.name) exists in the campaign already") {
                try db.execute(sql: AchievementStatements.update, arguments: [
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
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM achievement WHERE id = ? AND campaign_id = ?", arguments: [id, campaignId])
            guard db.changesCount == 1 else { throw StoreError.notFound(entity: "achievement") }
        }
    }

    public func achievement(id: Int64, campaignId: Int64) async throws -> Achievement {
        try await pool.read { db in try Self.achievement(db, id: id, campaignId: campaignId) }
    }

    public func achievements(campaignId: Int64, title: String?, page: PageRequest) async throws
        -> (achievements: [Achievement], hasMore: Bool)
    {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM achievement WHERE campaign_id = ? AND instr(title, ?) > 0 ORDER BY id LIMIT ? OFFSET ?
                """, arguments: [campaignId, title ?? "", page.pageSize + 1, page.skip])
            return (try rows.prefix(page.pageSize).map(Self.achievement(from:)), rows.count > page.pageSize)
        }
    }

    public func achievementHasProgress(id: Int64) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM achievement_progress WHERE achievement_id = ?)",
                              arguments: [id]) ?? false
        }
    }

    public func achievementsWithLatestTrackers(applicationId: Int64, profileIntegrationId: String) async throws
        -> [AchievementWithTracker]
    {
        try await pool.read { db in
            try Row.fetchAll(db, sql: AchievementStatements.withLatestTrackers,
                             arguments: [profileIntegrationId, applicationId]).map { row -> AchievementWithTracker in
                let achievement = try Self.achievement(from: row)
                guard let trackerId = row["t_id"] as Int64? else { return (achievement, nil) }
                var tracker = AchievementTracker(
                    id: trackerId, achievementId: achievement.id, profileIntegrationId: profileIntegrationId,
                    periodKey: row["t_period_key"], progress: StoredMoney.decimal(row["t_progress_units"]),
                    target: StoredMoney.decimal(row["t_target_units"]), startDate: row.date("t_start_date")
                )
                tracker.endDate = row.optionalDate("t_end_date")
                tracker.completionDate = row.optionalDate("t_completion_date")
                return (achievement, tracker)
            }
        }
    }

    public func achievementTrackers(achievementId: Int64, profileIntegrationId: String) async throws
        -> [AchievementTracker]
    {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM achievement_progress WHERE achievement_id = ? AND profile_integration_id = ? ORDER BY id DESC
                """, arguments: [achievementId, profileIntegrationId]).map(Self.tracker(from:))
        }
    }

    public func achievementTrackers(achievementId: Int64, afterId: Int64, pageSize: Int) async throws
        -> (trackers: [AchievementTracker], hasMore: Bool)
    {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM achievement_progress WHERE achievement_id = ? AND id > ? ORDER BY id LIMIT ?
                """, arguments: [achievementId, afterId, pageSize + 1])
            return (rows.prefix(pageSize).map(Self.tracker(from:)), rows.count > pageSize)
        }
    }

    /// The commit's achievement part, after its giveaway claims: a close's progress (one guarded upsert per
    /// increase, and its entry for a cancel), or a cancel's rollbacks. The session's stored effects are rewritten
    /// with the outcome (`effects`: as the giveaway claims left them).
    static func applyAchievements(_ db: Database, _ commit: SessionCommit, session: CustomerSession,
                                  effects: [Effect]) throws -> AchievementOutcome
    {
        var outcome = AchievementOutcome()
        let now = session.updated
        for progress in commit.achievementProgress {
            let delta = StoredMoney.units(progress.delta)
            guard let row = try Row.fetchOne(db.cachedStatement(sql: AchievementStatements.addProgress), arguments: [
                progress.achievementId, progress.profileIntegrationId, progress.periodKey, delta,
                StoredMoney.units(progress.target), (progress.startDate ?? now).stored, progress.endDate?.stored,
                StoredAchievement.firstCompletion(progress, now: now)?.stored, now.stored,
            ]) else {
                try outcome.record(nil, planned: progress)
                continue
            }
            var stored = progress
            stored.progressTrackerId = row["id"] as Int64
            stored.value = StoredMoney.decimal(row["progress_units"])
            stored.isJustCompleted = row.optionalDate("completion_date") != nil
            try db.cachedStatement(sql: AchievementStatements.insertEntry).execute(
                arguments: [stored.progressTrackerId, session.applicationId, session.integrationId, delta, now.stored]
            )
            try outcome.record(stored, planned: progress)
        }
        if commit.rollsBackAchievements {
            let entries = try Row.fetchAll(db, sql: AchievementStatements.entriesToRollBack,
                                           arguments: [session.applicationId, session.integrationId, false])
            for entry in entries {
                let delta: Int64 = entry["delta_units"]
                guard let row = try Row.fetchOne(db, sql: AchievementStatements.rollBack, arguments: [
                    delta, delta, entry["tracker_id"] as Int64, entry["allow_rollback_after_completion"] as Bool,
                ]) else { continue }
                try db.execute(sql: AchievementStatements.markRolledBack, arguments: [true, entry["entry_id"] as Int64])
                outcome.rollbacks.append(AchievementRollback(
                    achievementId: entry["achievement_id"], achievementName: entry["name"],
                    progressTrackerId: entry["tracker_id"], decreaseProgressBy: StoredMoney.decimal(delta),
                    currentProgress: StoredMoney.decimal(row["progress_units"]),
                    target: StoredMoney.decimal(row["target_units"]), campaignId: entry["campaign_id"]
                ))
            }
        }
        if !outcome.isEmpty {
            try db.execute(sql: "UPDATE customer_session SET effects = ? WHERE id = ?",
                           arguments: [JSONText.effects(outcome.apply(to: effects)), session.id])
        }
        return outcome
    }

    private static func achievementNameTaken(_ name: String) -> StoreError {
        StoreError.conflict("an achievement named \(name) exists in the campaign already")
    }

    private static func achievement(_ db: Database, id: Int64, campaignId: Int64) throws -> Achievement {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM achievement WHERE id = ? AND campaign_id = ?",
                                         arguments: [id, campaignId])
        else { throw StoreError.notFound(entity: "achievement") }
        return try achievement(from: row)
    }

    private static func achievement(from row: Row) throws -> Achievement {
        var achievement = Achievement(
            id: row["id"], campaignId: row["campaign_id"], applicationId: row["application_id"], name: row["name"],
            title: row["title"], description: row["description"], target: StoredAchievement.target(row["target"]),
            recurrencePolicy: Achievement.RecurrencePolicy(rawValue: row["recurrence_policy"]) ?? .noRecurrence,
            activationPolicy: Achievement.ActivationPolicy(rawValue: row["activation_policy"]) ?? .userAction,
            created: row.date("created"), userId: row["user_id"]
        )
        achievement.period = row["period"]
        achievement.periodEndOverride = try StoredAchievement.override(row["period_end_override"] as String?)
        achievement.fixedStartDate = row.optionalDate("fixed_start_date")
        achievement.endDate = row.optionalDate("end_date")
        achievement.allowRollbackAfterCompletion = row["allow_rollback_after_completion"]
        return achievement
    }

    private static func tracker(from row: Row) -> AchievementTracker {
        var tracker = AchievementTracker(
            id: row["id"], achievementId: row["achievement_id"], profileIntegrationId: row["profile_integration_id"],
            periodKey: row["period_key"], progress: StoredMoney.decimal(row["progress_units"]),
            target: StoredMoney.decimal(row["target_units"]), startDate: row.date("start_date")
        )
        tracker.endDate = row.optionalDate("end_date")
        tracker.completionDate = row.optionalDate("completion_date")
        return tracker
    }
}
