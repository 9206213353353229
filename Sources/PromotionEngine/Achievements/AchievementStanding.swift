import Foundation

/// Where a profile stands in an achievement now: the tracker progress goes to (the stored one of the current
/// period, or a new one the commit creates) and whether progress counts at all.
public struct AchievementStanding: Sendable, Hashable {
    public var achievement: Achievement
    /// The tracker of the current period as stored; nil when the next progress starts a new one.
    public var tracker: AchievementTracker?
    public var periodKey: String
    public var progress: Decimal
    public var startDate: Date
    public var endDate: Date?
    /// False when the achievement takes no progress now: completed (and not recurring on completion), expired
    /// without recurrence, not started yet, or past its end date.
    public var accepting: Bool

    /// The profile's standing in `achievement` at `now`, given its latest tracker (highest period key order as
    /// the store answers it). Periods follow the application's time zone.
    public static func of(_ achievement: Achievement, latest: AchievementTracker?, now: Date, timeZone: TimeZone)
        -> AchievementStanding
    {
        var standing = AchievementStanding(achievement: achievement, tracker: nil, periodKey: "u1", progress: 0,
                                           startDate: now, endDate: achievement.endDate, accepting: true)
        if let end = achievement.endDate, now > end { standing.accepting = false }
        let period = achievement.period.flatMap(LoyaltyDuration.init)
        if achievement.activationPolicy == .fixedSchedule, achievement.recurrencePolicy != .onCompletion {
            guard let start = achievement.fixedStartDate, now >= start else {
                standing.accepting = false
                return standing
            }
            var index = 0
            standing.startDate = start
            if let period {
                index = AchievementSchedule.periodIndex(of: now, from: start, period: period, timeZone: timeZone)
                standing.startDate = AchievementSchedule.advance(start, by: index, period: period, timeZone: timeZone)
                let end = AchievementSchedule.advance(start, by: index + 1, period: period, timeZone: timeZone)
                    .addingTimeInterval(-1)
                standing.endDate = min(end, achievement.endDate ?? end)
                if index > 0, achievement.recurrencePolicy == .noRecurrence { standing.accepting = false }
            }
            standing.periodKey = "f\(index)"
            if let latest, latest.periodKey == standing.periodKey {
                standing.resume(latest)
            }
            return standing
        }
        // Started by the customer's first progress: iterations `u1`, `u2`, … each with its own period.
        standing.endDate = AchievementSchedule.end(from: now, period: period, endDate: achievement.endDate,
                                                   timeZone: timeZone)
        guard let latest else { return standing }
        let iteration = Int(latest.periodKey.dropFirst()) ?? 1
        let next = "u\(iteration + 1)"
        switch latest.status(at: now) {
        case .inprogress:
            standing.resume(latest)
        case .completed:
            if achievement.recurrencePolicy == .onCompletion { standing.periodKey = next } else {
                standing.resume(latest)
                standing.accepting = false
            }
        case .expired, .notStarted:
            if achievement.recurrencePolicy == .noRecurrence {
                standing.resume(latest)
                standing.accepting = false
            } else {
                standing.periodKey = next
            }
        }
        return standing
    }

    private mutating func resume(_ tracker: AchievementTracker) {
        self.tracker = tracker
        (periodKey, progress, startDate, endDate) = (tracker.periodKey, tracker.progress, tracker.startDate, tracker.endDate)
        if tracker.completionDate != nil { accepting = false }
    }

    /// The status the spec's `currentProgress` shows (`not_started` before any progress in the current period).
    public func currentStatus(at now: Date) -> AchievementTracker.Status {
        tracker?.status(at: now) ?? .notStarted
    }
}

/// Period arithmetic for achievements, on `LoyaltyDuration` (the same duration words).
enum AchievementSchedule {
    static func end(from start: Date, period: LoyaltyDuration?, endDate: Date?, timeZone: TimeZone) -> Date? {
        guard let period else { return endDate }
        let end = period.end(from: start, timeZone: timeZone)
        return min(end, endDate ?? end)
    }

    /// `start` moved on by `count` whole periods (rounding words are ignored: a fixed schedule's periods abut).
    static func advance(_ start: Date, by count: Int, period: LoyaltyDuration, timeZone: TimeZone) -> Date {
        var plain = period
        plain.rounding = .none
        plain.amount = period.amount * count
        return plain.end(from: start, timeZone: timeZone)
    }

    /// Which period of a fixed schedule `now` falls in: estimated from the average length, then corrected.
    static func periodIndex(of now: Date, from start: Date, period: LoyaltyDuration, timeZone: TimeZone) -> Int {
        let first = advance(start, by: 1, period: period, timeZone: timeZone).timeIntervalSince(start)
        guard first > 0 else { return 0 }
        var index = max(0, Int(now.timeIntervalSince(start) / first))
        while index > 0, advance(start, by: index, period: period, timeZone: timeZone) > now { index -= 1 }
        while advance(start, by: index + 1, period: period, timeZone: timeZone) <= now { index += 1 }
        return index
    }
}
