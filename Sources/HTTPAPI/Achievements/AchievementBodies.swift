import Foundation
import PromotionEngine

/// The SDK's `NewAchievement` and `UpdateAchievement`: every field optional here, so that a missing one is a 400
/// naming it (create) or a field left as stored (update).
struct AchievementFields: Decodable {
    var name: String?
    var title: String?
    var description: String?
    var target: Decimal?
    var period: String?
    var periodEndOverride: Achievement.PeriodEndOverride?
    var recurrencePolicy: String?
    var activationPolicy: String?
    var fixedStartDate: Date?
    var endDate: Date?
    var allowRollbackAfterCompletion: Bool?

    /// The fields applied to `achievement` (a new one has placeholders in the required fields), with every
    /// problem as an issue naming its field.
    func applied(to stored: Achievement, creating: Bool) -> (Achievement, [ValidationIssue]) {
        var achievement = stored
        var issues: [ValidationIssue] = []
        func require(_ value: Any?, _ field: String) {
            if creating, value == nil { issues.append(ValidationIssue(pointer: "/\(field)", message: "is required")) }
        }
        require(name, "name")
        require(title, "title")
        require(description, "description")
        require(target, "target")
        if let name {
            if !creating, name != stored.name {
                issues.append(ValidationIssue(pointer: "/name", message: "cannot be changed after the achievement was created"))
            } else if !Self.isValidName(name) {
                issues.append(ValidationIssue(pointer: "/name",
                                              message: "must start with a letter, then letters, digits or _ (2 to 1000 characters)"))
            }
            achievement.name = name
        }
        if let title {
            if title.trimmingCharacters(in: .whitespaces).isEmpty {
                issues.append(ValidationIssue(pointer: "/title", message: "must not be empty"))
            }
            achievement.title = title
        }
        if let description { achievement.description = description }
        if let target {
            if target <= 0 { issues.append(ValidationIssue(pointer: "/target", message: "must be greater than 0")) }
            achievement.target = target
        }
        if let period {
            if period.isEmpty {
                achievement.period = nil
            } else if let duration = LoyaltyDuration(period), duration.amount > 0 {
                achievement.period = period
            } else {
                issues.append(ValidationIssue(
                    pointer: "/period",
                    message: "must be a whole number above 0 and a unit s, m, h, D, W, M or Y, optionally _D (days) or _U (D, W, M, Y), e.g. 1W"
                ))
            }
        }
        if let periodEndOverride {
            issues += Self.issues(periodEndOverride)
            achievement.periodEndOverride = periodEndOverride
        }
        if let recurrencePolicy {
            if let policy = Achievement.RecurrencePolicy(rawValue: recurrencePolicy) {
                achievement.recurrencePolicy = policy
            } else {
                issues.append(ValidationIssue(pointer: "/recurrencePolicy",
                                              message: "must be no_recurrence, on_expiration or on_completion"))
            }
        }
        if let activationPolicy {
            if let policy = Achievement.ActivationPolicy(rawValue: activationPolicy) {
                achievement.activationPolicy = policy
            } else {
                issues.append(ValidationIssue(pointer: "/activationPolicy", message: "must be user_action or fixed_schedule"))
            }
        }
        if let fixedStartDate { achievement.fixedStartDate = fixedStartDate.storagePrecision }
        if let endDate { achievement.endDate = endDate.storagePrecision }
        if let allowRollbackAfterCompletion { achievement.allowRollbackAfterCompletion = allowRollbackAfterCompletion }
        if achievement.activationPolicy == .fixedSchedule, achievement.fixedStartDate == nil {
            issues.append(ValidationIssue(pointer: "/fixedStartDate", message: "is required when activationPolicy is fixed_schedule"))
        }
        if achievement.activationPolicy == .userAction, fixedStartDate != nil {
            issues.append(ValidationIssue(pointer: "/fixedStartDate", message: "is only for activationPolicy fixed_schedule"))
        }
        if let start = achievement.fixedStartDate, let end = achievement.endDate, end <= start {
            issues.append(ValidationIssue(pointer: "/endDate", message: "must be after fixedStartDate"))
        }
        if achievement.recurrencePolicy == .onExpiration, achievement.period == nil {
            issues.append(ValidationIssue(pointer: "/period", message: "is required when recurrencePolicy is on_expiration"))
        }
        return (achievement, issues)
    }

    /// What a customer's progress fixes: these cannot change once a profile has a tracker.
    func changesProgressRules(of stored: Achievement, into updated: Achievement) -> String? {
        if updated.target != stored.target { return "target" }
        if updated.period != stored.period { return "period" }
        if updated.recurrencePolicy != stored.recurrencePolicy { return "recurrencePolicy" }
        if updated.activationPolicy != stored.activationPolicy { return "activationPolicy" }
        if updated.fixedStartDate != stored.fixedStartDate { return "fixedStartDate" }
        return nil
    }

    static func isValidName(_ name: String) -> Bool {
        guard (2...1000).contains(name.count), let first = name.unicodeScalars.first,
              CharacterSet.letters.contains(first), first.isASCII
        else { return false }
        return name.unicodeScalars.allSatisfy { ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "_" }
    }

    private static func issues(_ override: Achievement.PeriodEndOverride) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func check(_ value: Int?, _ range: ClosedRange<Int>, _ field: String) {
            if let value, !range.contains(value) {
                issues.append(ValidationIssue(pointer: "/periodEndOverride/\(field)",
                                              message: "must be \(range.lowerBound) to \(range.upperBound)"))
            }
        }
        check(override.month, 1...12, "month")
        check(override.dayOfMonth, 1...31, "dayOfMonth")
        check(override.dayOfWeek, 1...7, "dayOfWeek")
        check(override.hour, 0...23, "hour")
        check(override.minute, 0...59, "minute")
        check(override.second, 0...59, "second")
        return issues
    }
}

/// The achievement's own fields, which every answer about it starts with (the spec's `Achievement` parts).
struct AchievementDefinitionBody: Encodable, Sendable {
    var id: Int64
    var created: Date
    var name: String
    var title: String
    var description: String
    var target: Decimal
    var period: String?
    var periodEndOverride: Achievement.PeriodEndOverride?
    var recurrencePolicy: String
    var activationPolicy: String
    var fixedStartDate: Date?
    var endDate: Date?
    var allowRollbackAfterCompletion: Bool
    var campaignId: Int64

    init(_ achievement: Achievement) {
        (id, created, name, title, description, target) = (achievement.id, achievement.created, achievement.name,
                                                           achievement.title, achievement.description, achievement.target)
        (period, periodEndOverride, fixedStartDate, endDate) =
            (achievement.period, achievement.periodEndOverride, achievement.fixedStartDate, achievement.endDate)
        (recurrencePolicy, activationPolicy) = (achievement.recurrencePolicy.rawValue, achievement.activationPolicy.rawValue)
        (allowRollbackAfterCompletion, campaignId) = (achievement.allowRollbackAfterCompletion, achievement.campaignId)
    }
}

/// The SDK's `Achievement`: the definition, who made it, whether customers progressed, and its status.
struct AchievementBody: Encodable, Sendable {
    var definition: AchievementDefinitionBody
    var userId: Int64
    var hasProgress: Bool
    /// `not_started` before a fixed schedule starts, `expired` past the end date, else `inprogress`.
    var status: String

    private enum CodingKeys: String, CodingKey { case userId, hasProgress, status }

    init(_ achievement: Achievement, hasProgress: Bool, now: Date = Date()) {
        definition = AchievementDefinitionBody(achievement)
        userId = achievement.userId
        self.hasProgress = hasProgress
        status = achievement.isScheduled(at: now) ? "not_started"
            : (achievement.endDate.map { now > $0 } ?? false) ? "expired" : "inprogress"
    }

    func encode(to encoder: any Encoder) throws {
        try definition.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId, forKey: .userId)
        try container.encode(hasProgress, forKey: .hasProgress)
        try container.encode(status, forKey: .status)
    }
}

/// The spec's `AchievementProgress` (a profile's current period: status, progress and its dates).
struct AchievementProgressBody: Encodable, Sendable {
    var status: String
    var progress: Decimal
    var startDate: Date?
    var completionDate: Date?
    var endDate: Date?

    init(_ standing: AchievementStanding, now: Date) {
        status = standing.currentStatus(at: now).rawValue
        progress = standing.tracker?.progress ?? 0
        (startDate, completionDate, endDate) =
            (standing.tracker?.startDate, standing.tracker?.completionDate, standing.tracker?.endDate)
    }

    init(_ tracker: AchievementTracker, now: Date) {
        status = tracker.status(at: now).rawValue
        (progress, startDate, completionDate, endDate) =
            (tracker.progress, tracker.startDate, tracker.completionDate, tracker.endDate)
    }
}
