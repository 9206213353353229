import Foundation
import PromotionEngine
import Services
import Storage

/// `GET /v1/applications/{id}/campaign_analytics/export`: the range's closed sessions added up in all, as
/// influenced by campaigns, and per campaign (every campaign of the application, or the ones asked for).
enum CampaignAnalyticsExport {
    static let columns = [
        "campaign_id", "start_date", "end_date", "revenue", "sessions", "average_session_value",
        "average_items_per_session", "coupons", "discounts",
    ]

    static func rows(store: any Store, applicationId: Int64, campaignIds: [Int64]?, from start: Date, to end: Date)
        -> CSVStream.Rows
    {
        { write in
            var totals = CampaignTotals()
            var events = EventFilter()
            events.type = EventType.sessionClosed.rawValue
            events.createdAfter = start.addingTimeInterval(-0.001)
            events.createdBefore = end
            try await store.forEachEventPage(applicationId: applicationId, filter: events) { page in
                for event in page { totals.add(event) }
            }
            var ids = campaignIds ?? []
            if campaignIds == nil { ids = try await allCampaignIds(store: store, applicationId: applicationId) }
            // The spec gives the frame in UTC.
            let dates = Date.ISO8601FormatStyle(timeZone: .gmt)
            let frame = [dates.format(start), dates.format(end)]
            func row(_ label: String, _ figures: CampaignTotals.Figures, split: Bool) -> [String] {
                [label] + frame + [
                    figures.revenue.exportText, "\(figures.sessions)", figures.averageSessionValue?.exportText ?? "0",
                    figures.averageItemsPerSession?.exportText ?? "0",
                    split ? "\(figures.coupons)" : "N/A", split ? figures.discounts.exportText : "N/A",
                ]
            }
            try await write([row("Total", totals.all, split: false), row("Influenced", totals.influenced, split: true)]
                + ids.map { row("\($0)", totals.campaigns[$0] ?? .init(), split: true) })
        }
    }

    private static func allCampaignIds(store: any Store, applicationId: Int64) async throws -> [Int64] {
        var ids: [Int64] = []
        while true {
            let page = try await store.campaigns(
                applicationId: applicationId, filter: CampaignFilter(), page: PageRequest(pageSize: 1000, skip: ids.count)
            )
            ids += page.items.map(\.id)
            if page.items.isEmpty || ids.count >= page.totalCount { return ids.sorted() }
        }
    }
}
