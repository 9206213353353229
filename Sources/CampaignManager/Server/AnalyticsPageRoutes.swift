import Foundation
import HTTPAPI
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `/applications/{id}/analytics` and `/applications/{id}/campaigns/{id}/analytics`: the last 30 days, through
/// the analytics the Management API serves.
struct AnalyticsPageRoutes: Sendable {
    let store: any Store
    static let days = 30

    func register(on pages: RouterGroup<SContoRequestContext>) {
        let report = AnalyticsReport(store: store)
        pages.get("/applications/:applicationId/analytics") { request, context in
            let (user, application) = try await Pages.application(request, context, store: store)
            let campaigns = try await store.campaigns(applicationId: application.id, filter: CampaignFilter(),
                                                      page: PageRequest(pageSize: 1000)).items
            let (start, end) = Self.range()
            let days = try await report.applicationDays(application: application, campaignIds: campaigns.map(\.id),
                                                        from: start, to: end)
            return Pages.html(AnalyticsPage.application(application, days: days, user: user))
        }
        pages.get("/applications/:applicationId/campaigns/:campaignId/analytics") { request, context in
            let (user, application) = try await Pages.application(request, context, store: store)
            let campaign = try await store.campaign(id: Pages.id(context, "campaignId"), applicationId: application.id)
            let (start, end) = Self.range()
            let rows = try await report.campaignRows(application: application, campaign: campaign, from: start, to: end,
                                                     granularity: .day)
            return Pages.html(AnalyticsPage.campaign(application, campaign: campaign, rows: rows, user: user))
        }
    }

    /// From 29 days ago until now: 30 daily periods, today's included.
    private static func range() -> (Date, Date) {
        let end = Date()
        return (end.addingTimeInterval(-Double(days - 1) * 86400), end)
    }
}
