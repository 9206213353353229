import Foundation
import PromotionEngine

/// The SQL both backends run for achievements (`?` placeholders; PostgreSQL's helper numbers them), so the guards
/// are written once. Every progress change is one statement judged by the row it returns.
public enum AchievementStatements {
    public static let insert = """
        INSERT INTO achievement (application_id, campaign_id, name, title, description, target, period,
            period_end_override, recurrence_policy, activation_policy, fixed_start_date, end_date,
            allow_rollback_after_completion, created, user_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (campaign_id, name) DO NOTHING
        RETURNING id
        """

    public static let update = """
        UPDATE achievement SET name = ?, title = ?, description = ?, target = ?, period = ?, period_end_override = ?,
            recurrence_policy = ?, activation_policy = ?, fixed_start_date = ?, end_date = ?,
            allow_rollback_after_completion = ?
        WHERE id = ? AND campaign_id = ?
        """

    /// The profile's latest tracker per achievement of the application (left joined: nil columns when none).
    public static let withLatestTrackers = """
        SELECT a.*, t.id AS t_id, t.period_key AS t_period_key, t.progress_units AS t_progress_units,
            t.target_units AS t_target_units, t.start_date AS t_start_date, t.end_date AS t_end_date,
            t.completion_date AS t_completion_date
        FROM achievement a
        LEFT JOIN achievement_progress t ON t.id = (
            SELECT MAX(id) FROM achievement_progress WHERE achievement_id = a.id AND profile_integration_id = ?)
        WHERE a.application_id = ?
        ORDER BY a.id
        """

    /// Adds a close's progress to the profile's tracker of the period, creating it at the first progress. The
    /// guard is the `DO UPDATE … WHERE`: a completed tracker, or one past its end, takes nothing (no row comes
    /// back). The statement that reaches the target sets `completion_date`, so exactly one commit sees it set.
    /// Arguments: achievement, profile, period key, delta units, target units, start, end, completion (the delta
    /// alone reaches the target: now, else nil), now.
    public static let addProgress = """
        INSERT INTO achievement_progress (achievement_id, profile_integration_id, period_key, progress_units,
            target_units, start_date, end_date, completion_date, created)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (achievement_id, profile_integration_id, period_key) DO UPDATE SET
            progress_units = achievement_progress.progress_units + excluded.progress_units,
            completion_date = CASE WHEN achievement_progress.progress_units + excluded.progress_units
                >= achievement_progress.target_units THEN excluded.created END
        WHERE achievement_progress.completion_date IS NULL
            AND (achievement_progress.end_date IS NULL OR achievement_progress.end_date >= excluded.created)
        RETURNING id, progress_units, completion_date
        """

    /// Arguments: tracker, application, session, delta units, now.
    public static let insertEntry = """
        INSERT INTO achievement_progress_entry (tracker_id, application_id, session_integration_id, delta_units, created)
        VALUES (?, ?, ?, ?, ?)
        """

    /// What a session's close added and has not given back, with what the rollback effect names.
    /// Arguments: application, session, false.
    public static let entriesToRollBack = """
        SELECT e.id AS entry_id, e.delta_units, t.id AS tracker_id, a.id AS achievement_id, a.name, a.campaign_id,
            a.allow_rollback_after_completion
        FROM achievement_progress_entry e
        JOIN achievement_progress t ON t.id = e.tracker_id
        JOIN achievement a ON a.id = t.achievement_id
        WHERE e.application_id = ? AND e.session_integration_id = ? AND e.rolled_back = ?
        ORDER BY t.id, e.id
        """

    /// Gives progress back; a completed tracker only when the achievement allows it, and then it is completed
    /// no more if it falls below its target. Arguments: delta units, delta units, tracker, allowed after completion.
    public static let rollBack = """
        UPDATE achievement_progress SET progress_units = progress_units - ?,
            completion_date = CASE WHEN progress_units - ? >= target_units THEN completion_date END
        WHERE id = ? AND (completion_date IS NULL OR ?)
        RETURNING progress_units, target_units
        """

    /// Arguments: true, entry.
    public static let markRolledBack = "UPDATE achievement_progress_entry SET rolled_back = ? WHERE id = ?"
}

/// Achievement fields in their stored forms, the same for both backends.
public enum StoredAchievement {
    public static func target(_ text: String) -> Decimal {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? 0
    }

    public static func override(_ value: Achievement.PeriodEndOverride?) throws -> String? {
        try value.map { try StoredJSON.encode($0) }
    }

    public static func override(_ text: String?) throws -> Achievement.PeriodEndOverride? {
        try text.map { try StoredJSON.decode(Achievement.PeriodEndOverride.self, from: $0) }
    }

    /// The tracker a close's progress goes to: the completion when the delta alone reaches the target.
    public static func firstCompletion(_ progress: AchievementProgress, now: Date) -> Date? {
        progress.delta >= progress.target ? now : nil
    }
}
