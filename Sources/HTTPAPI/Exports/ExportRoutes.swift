import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// The Management API's CSV exports of an application's effects, sessions and campaign analytics, each streamed
/// from the store a page at a time.
struct ExportRoutes {
    let store: any Store

    func register(on routes: RouteRegistrar) {
        routes.on(.get, "/v1/applications/:applicationId/export_effects") { request, context in
            let application = try await application(context)
            var filter = EffectExport.Filter()
            if let text = request.uri.queryParameters.get("campaignId") {
                // The spec types it as a number (the SDK may send "49.0"): a whole positive number names a campaign.
                guard let id = Int64(text.hasSuffix(".0") ? String(text.dropLast(2)) : text), id > 0 else {
                    throw APIError.badParameter("campaignId", "must be a positive integer")
                }
                filter.campaignId = id
            }
            filter.createdBefore = try request.dateParameter("createdBefore")
            filter.createdAfter = try request.dateParameter("createdAfter")
            let dates = try ExportDateFormat(request.uri.queryParameters.get("dateFormat"), application: application)
            return CSVStream.response(columns: EffectExport.columns, rows: EffectExport.rows(
                store: store, applicationId: application.id, filter: filter, dates: dates
            ))
        }
        routes.on(.get, "/v1/applications/:applicationId/export_customer_sessions") { request, context in
            let application = try await application(context)
            let query = request.uri.queryParameters
            var filter = SessionFilter()
            filter.createdBefore = try request.dateParameter("createdBefore")
            filter.createdAfter = try request.dateParameter("createdAfter")
            filter.updatedBefore = try request.dateParameter("updatedBefore")
            filter.updatedAfter = try request.dateParameter("updatedAfter")
            filter.profileId = query.get("profileIntegrationId")
            if let text = query.get("customerSessionState") {
                guard let state = SessionState(rawValue: text) else {
                    throw APIError.badParameter(
                        "customerSessionState", "must be one of [open, closed, partially_returned, cancelled]"
                    )
                }
                filter.state = state
            }
            let dates = try ExportDateFormat(query.get("dateFormat"), application: application)
            return CSVStream.response(columns: SessionExport.columns, rows: SessionExport.rows(
                store: store, applicationId: application.id, filter: filter, dates: dates
            ))
        }
        routes.on(.get, "/v1/applications/:applicationId/campaign_analytics/export") { request, context in
            let application = try await application(context)
            let start = try request.requiredDateParameter("rangeStart")
            let end = try request.requiredDateParameter("rangeEnd")
            guard end >= start else { throw APIError.badParameter("rangeEnd", "must not be before rangeStart") }
            let campaignIds = try request.uri.queryParameters.get("campaignIds").map { text in
                try text.split(separator: ",").map { part in
                    guard let id = Int64(part.trimmingCharacters(in: .whitespaces)), id > 0 else {
                        throw APIError.badParameter("campaignIds", "must be campaign ids separated by commas")
                    }
                    return id
                }
            }
            return CSVStream.response(columns: CampaignAnalyticsExport.columns, rows: CampaignAnalyticsExport.rows(
                store: store, applicationId: application.id, campaignIds: campaignIds, from: start, to: end
            ))
        }
    }

    private func application(_ context: SContoRequestContext) async throws -> PromotionEngine.Application {
        try await store.application(id: context.id("applicationId"), accountId: context.managementCaller().accountId)
    }
}
