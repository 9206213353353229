import Foundation
import PromotionEngine
import Storage

/// Closed sessions added up per campaign over a range, one event at a time (the campaign analytics export reads
/// them a page at a time): all closed sessions, those some campaign influenced, and each campaign's.
public struct CampaignTotals: Sendable {
    public struct Figures: Sendable, Hashable {
        public var revenue: Decimal = 0
        public var sessions = 0
        public var items = 0
        public var coupons = 0
        public var discounts: Decimal = 0

        public init() {}

        /// Revenue per session, rounded to 2 decimals (nil without sessions).
        public var averageSessionValue: Decimal? { average(revenue) }
        public var averageItemsPerSession: Decimal? { average(Decimal(items)) }

        private func average(_ sum: Decimal) -> Decimal? {
            sessions == 0 ? nil : Money.round(sum / Decimal(sessions), scale: 2)
        }
    }

    public private(set) var all = Figures()
    public private(set) var influenced = Figures()
    public private(set) var campaigns: [Int64: Figures] = [:]

    public init() {}

    /// Adds a `talon_session_closed` event (others are ignored). A campaign influenced the session when it
    /// gave it an effect other than a rejection.
    public mutating func add(_ event: SessionEvent) {
        guard event.type == .sessionClosed else { return }
        var session = Figures()
        session.sessions = 1
        if case .number(let total)? = event.attributes["total"] { session.revenue = total }
        if case .number(let items)? = event.attributes["items"] { session.items = NSDecimalNumber(decimal: items).intValue }
        all.add(session)
        var touched: [Int64: Figures] = [:]
        for effect in event.effects where !effect.type.isRejection {
            var figures = touched[effect.campaignId] ?? session
            if case .acceptCoupon = effect.kind { figures.coupons += 1 }
            figures.discounts += effect.discountValue ?? 0
            touched[effect.campaignId] = figures
        }
        guard !touched.isEmpty else { return }
        var influence = session
        for (campaignId, figures) in touched {
            campaigns[campaignId, default: Figures()].add(figures)
            influence.coupons += figures.coupons
            influence.discounts += figures.discounts
        }
        influenced.add(influence)
    }
}

extension CampaignTotals.Figures {
    mutating func add(_ other: Self) {
        revenue += other.revenue
        sessions += other.sessions
        items += other.items
        coupons += other.coupons
        discounts += other.discounts
    }
}
