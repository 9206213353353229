import Foundation
import PromotionEngine
import Storage

/// Reads what the analytics add up (session events, coupon creations) and hands it to the pure aggregation,
/// for the Management API's analytics route and the Campaign Manager's charts alike.
public struct AnalyticsReport: Sendable {
    /// One day of an application: closed sessions, their revenue, and across its campaigns the coupon
    /// redemptions and the discounts given.
    public struct Day: Sendable, Hashable {
        public var date: Date
        public var sessions = 0
        public var revenue: Decimal = 0
        public var discounts: Decimal = 0
        public var redemptions = 0
    }

    let store: any Store

    public init(store: any Store) { self.store = store }

    public func campaignRows(
        application: Application, campaign: Campaign, from start: Date, to end: Date,
        granularity: CampaignAnalytics.Granularity
    ) async throws -> [CampaignAnalyticsRow] {
        let events = try await sessionEvents(application.id, from: campaign.created, to: end)
        var couponFilter = CouponFilter(campaignId: campaign.id)
        couponFilter.createdBefore = end
        var couponCreations: [Date] = []
        try await store.forEachCouponPage(applicationId: application.id, filter: couponFilter) {
            couponCreations += $0.map(\.created)
        }
        return CampaignAnalytics.rows(
            campaignId: campaign.id, events: events, couponCreations: couponCreations, from: start, to: end,
            granularity: granularity, timeZone: Self.timeZone(application)
        )
    }

    /// Every day from `start` to `end` in the application's time zone.
    public func applicationDays(application: Application, campaignIds: [Int64], from start: Date, to end: Date)
        async throws -> [Day]
    {
        // From a day earlier: the first day starts before `start` (at midnight in the time zone).
        let events = try await sessionEvents(application.id, from: start.addingTimeInterval(-86400), to: end)
        let timeZone = Self.timeZone(application)
        func dailyRows(_ campaignId: Int64) -> [CampaignAnalyticsRow] {
            CampaignAnalytics.rows(campaignId: campaignId, events: events, couponCreations: [], from: start, to: end,
                                   granularity: .day, timeZone: timeZone)
        }
        // The campaign rows give the days (periods start at the day's midnight in the time zone).
        var days = dailyRows(0).map { Day(date: $0.date) }
        let index = Dictionary(uniqueKeysWithValues: days.enumerated().map { ($1.date, $0) })
        for campaignId in campaignIds {
            for row in dailyRows(campaignId) {
                guard let at = index[row.date] else { continue }
                days[at].redemptions += row.couponRedemptions
                days[at].discounts += row.discountCosts
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        for event in events where event.type == .sessionClosed {
            guard let at = index[calendar.startOfDay(for: event.created)] else { continue }
            days[at].sessions += 1
            if case .number(let total)? = event.attributes["total"] { days[at].revenue += total }
        }
        return days
    }

    private static func timeZone(_ application: Application) -> TimeZone {
        TimeZone(identifier: application.settings.timezone) ?? .gmt
    }

    /// The application's closed, cancelled and reopened sessions' events in the range, oldest first.
    private func sessionEvents(_ applicationId: Int64, from start: Date, to end: Date) async throws -> [SessionEvent] {
        var events: [SessionEvent] = []
        for type in [EventType.sessionClosed, .sessionCancelled, .sessionReopened].map(\.rawValue) {
            var filter = EventFilter()
            filter.type = type
            filter.createdAfter = start.addingTimeInterval(-0.001)
            filter.createdBefore = end
            try await store.forEachEventPage(applicationId: applicationId, filter: filter) { events += $0 }
        }
        return events.sorted { $0.created < $1.created }
    }
}
