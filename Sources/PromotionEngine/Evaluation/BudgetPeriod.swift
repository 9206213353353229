import Foundation

/// The calendar periods a campaign budget (`LimitConfig.period`) can reset on, in the application's time zone.
public enum BudgetPeriod: String, Sendable, CaseIterable {
    case daily, weekly, monthly, yearly

    /// The key of the period `now` falls in, e.g. `daily:2026-11-25`, `weekly:2026-W48` (ISO weeks),
    /// `monthly:2026-11`, `yearly:2026`. Counters are stored per key, so a new period starts from zero.
    public func key(at now: Date, timeZone: TimeZone) -> String {
        key(of: Self.calendarParts(of: now, in: timeZone))
    }

    /// The keys of every period `now` falls in (what a snapshot loads and a close counts in), from one
    /// calendar computation.
    public static func keys(at now: Date, timeZone: TimeZone) -> [String] {
        let parts = calendarParts(of: now, in: timeZone)
        return allCases.map { $0.key(of: parts) }
    }

    private static func calendarParts(of now: Date, in timeZone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        return calendar.dateComponents([.year, .month, .day, .yearForWeekOfYear, .weekOfYear], from: now)
    }

    private func key(of parts: DateComponents) -> String {
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        let label = switch self {
        case .daily: "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day))"
        case .weekly: "\(parts.yearForWeekOfYear ?? 0)-W\(two(parts.weekOfYear))"
        case .monthly: "\(parts.year ?? 0)-\(two(parts.month))"
        case .yearly: "\(parts.year ?? 0)"
        }
        return "\(rawValue):\(label)"
    }
}

/// What one period of a campaign used of its budgets.
public struct PeriodCounters: Sendable, Hashable, Codable {
    public var couponRedemptions = 0
    public var discount: Decimal = 0

    public init(couponRedemptions: Int = 0, discount: Decimal = 0) {
        self.couponRedemptions = couponRedemptions
        self.discount = discount
    }
}
