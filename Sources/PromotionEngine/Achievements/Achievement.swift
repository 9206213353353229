import Foundation

/// A campaign's goal for each customer profile: progress (moved by `increaseAchievementProgress`) toward a
/// target, within a period (recurring or once) — Talon.One's achievements.
public struct Achievement: Sendable, Hashable {
    public enum RecurrencePolicy: String, Sendable, Hashable, Codable, CaseIterable {
        case noRecurrence = "no_recurrence", onExpiration = "on_expiration", onCompletion = "on_completion"
    }

    public enum ActivationPolicy: String, Sendable, Hashable, Codable, CaseIterable {
        case userAction = "user_action", fixedSchedule = "fixed_schedule"
    }

    /// The deprecated `periodEndOverride`: kept and answered as given (Sconto ends periods by `period` alone).
    public struct PeriodEndOverride: Sendable, Hashable, Codable {
        public var month: Int?
        public var dayOfMonth: Int?
        public var dayOfWeek: Int?
        public var hour: Int
        public var minute: Int
        public var second: Int
    }

    public var id: Int64
    public var campaignId: Int64
    public var applicationId: Int64
    public var name: String
    public var title: String
    public var description: String
    public var target: Decimal
    /// Talon.One's duration word (`1D`, `2W`, `1M_U`, …); nil: the achievement has no period.
    public var period: String?
    public var periodEndOverride: PeriodEndOverride?
    public var recurrencePolicy: RecurrencePolicy
    public var activationPolicy: ActivationPolicy
    public var fixedStartDate: Date?
    public var endDate: Date?
    public var allowRollbackAfterCompletion: Bool
    public var created: Date
    public var userId: Int64

    public init(id: Int64 = 0, campaignId: Int64, applicationId: Int64, name: String, title: String,
                description: String, target: Decimal, recurrencePolicy: RecurrencePolicy = .noRecurrence,
                activationPolicy: ActivationPolicy = .userAction, created: Date, userId: Int64 = 0)
    {
        (self.id, self.campaignId, self.applicationId, self.name, self.title, self.description, self.target) =
            (id, campaignId, applicationId, name, title, description, target)
        (self.recurrencePolicy, self.activationPolicy, self.created, self.userId) =
            (recurrencePolicy, activationPolicy, created, userId)
        allowRollbackAfterCompletion = false
    }

    /// `scheduled` until a fixed schedule starts, else `active` (the spec's achievement status for customers).
    public func isScheduled(at now: Date) -> Bool {
        activationPolicy == .fixedSchedule && (fixedStartDate.map { now < $0 } ?? false)
    }
}

/// One profile's progress in one period (iteration) of an achievement: Talon.One's progress tracker.
public struct AchievementTracker: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case inprogress, completed, expired
        case notStarted = "not_started"
    }

    public var id: Int64
    public var achievementId: Int64
    public var profileIntegrationId: String
    /// Which period: `f<n>` the n-th period of a fixed schedule, `u<n>` the n-th iteration started by the customer.
    public var periodKey: String
    public var progress: Decimal
    public var target: Decimal
    public var startDate: Date
    public var endDate: Date?
    public var completionDate: Date?

    public init(id: Int64, achievementId: Int64, profileIntegrationId: String, periodKey: String, progress: Decimal,
                target: Decimal, startDate: Date, endDate: Date? = nil, completionDate: Date? = nil)
    {
        (self.id, self.achievementId, self.profileIntegrationId, self.periodKey) =
            (id, achievementId, profileIntegrationId, periodKey)
        (self.progress, self.target, self.startDate, self.endDate, self.completionDate) =
            (progress, target, startDate, endDate, completionDate)
    }

    public func status(at now: Date) -> Status {
        if completionDate != nil { return .completed }
        if let endDate, now > endDate { return .expired }
        return .inprogress
    }
}
