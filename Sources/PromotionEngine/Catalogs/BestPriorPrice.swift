import Foundation

/// The lowest price a SKU had over the days before a moment (the EU's price-indication rule: a reduction is
/// announced against the lowest price of the prior 30 days).
public enum BestPriorPrice {
    /// Where the look-back window ends (the spec's `timeframeEndDateType`).
    public enum WindowEnd: String, Sendable, CaseIterable {
        /// At the given end date.
        case strict
        /// At the start of the price in effect at the end date, which is itself left out.
        case price
        /// At the start of the current sale; Sconto records no sale contexts, so as `price`.
        case sale
    }

    /// Of one SKU's observations (oldest first, none after `end`), the one with the lowest price among those in
    /// effect during the window: observed in it, or the last one before it (still the price at its start).
    /// Ties go to the most recent. Nil when no price was in effect.
    public static func lowest(_ observations: [PriceObservation], end: Date, days: Int, windowEnd: WindowEnd)
        -> PriceObservation?
    {
        var observations = observations.filter { $0.observedAt <= end }
        var end = end
        if windowEnd != .strict, let current = observations.popLast() { end = current.observedAt }
        let start = end.addingTimeInterval(-Double(days) * 86_400)
        let beforeStart = observations.last { $0.observedAt <= start }
        let candidates = (beforeStart.map { [$0] } ?? []) + observations.filter { $0.observedAt > start && $0.observedAt <= end }
        return candidates.reduce(nil) { best, observation in
            guard let best else { return observation }
            return observation.price <= best.price ? observation : best
        }
    }
}
