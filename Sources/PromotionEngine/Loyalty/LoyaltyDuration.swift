import Foundation

/// Talon.One's duration words: a whole number and a unit (`s`, `m`, `h`, `D`, `W`, `M`, `Y`), optionally rounded:
/// `_D` to the start of the day (days only), `_U` to the end of the day, week, month or year.
public struct LoyaltyDuration: Sendable, Hashable {
    public enum Rounding: Sendable, Hashable { case none, startOfDay, endOfPeriod }

    public var amount: Int
    public var unit: Character
    public var rounding: Rounding

    public init?(_ text: String) {
        var body = Substring(text)
        rounding = .none
        if body.hasSuffix("_D") {
            rounding = .startOfDay
            body = body.dropLast(2)
        } else if body.hasSuffix("_U") {
            rounding = .endOfPeriod
            body = body.dropLast(2)
        }
        guard let unit = body.last, "smhDWMY".contains(unit), let amount = Int(body.dropLast()), amount >= 0,
              amount <= 100_000
        else { return nil }
        if rounding == .startOfDay, unit != "D" { return nil }
        if rounding == .endOfPeriod, !"DWMY".contains(unit) { return nil }
        (self.amount, self.unit) = (amount, unit)
    }

    /// `start` plus this duration in `timeZone`'s calendar, rounded as the suffix says. `_U` ends at the last
    /// second of the day, week, month or year the sum falls in.
    public func end(from start: Date, timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2  // weeks end on Sunday, as in ISO 8601
        let component: Calendar.Component = switch unit {
        case "s": .second
        case "m": .minute
        case "h": .hour
        case "D": .day
        case "W": .weekOfYear
        case "M": .month
        default: .year
        }
        let sum = calendar.date(byAdding: component, value: amount, to: start) ?? start
        switch rounding {
        case .none:
            return sum
        case .startOfDay:
            return calendar.startOfDay(for: sum)
        case .endOfPeriod:
            let period: Calendar.Component = switch unit {
            case "W": .weekOfYear
            case "M": .month
            case "Y": .year
            default: .day
            }
            guard let interval = calendar.dateInterval(of: period, for: sum) else { return sum }
            return interval.end.addingTimeInterval(-1)
        }
    }
}
