import Foundation
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `GET /v1/applications/{id}/customer_activity_reports/no_total`: a page of the application's customers with
/// what their closed sessions in the range added up to (JSON, paged like the other listings).
struct CustomerActivityRoutes {
    let store: any Store

    /// The SDK's `CustomerActivityReport`.
    struct ReportBody: Encodable, Sendable {
        var integrationId: String
        var created: Date
        var name: String
        var customerId: Int64
        var lastActivity: Date?
        var couponRedemptions: Int
        var couponUseAttempts: Int
        var couponFailedAttempts: Int
        var accruedDiscounts: Decimal
        var accruedRevenue: Decimal
        var totalOrders: Int
        var totalOrdersNoCoupon: Int
        var campaignName: String

        init(_ profile: CustomerProfile, _ activity: CustomerActivity) {
            integrationId = profile.integrationId
            created = profile.created
            if case .string(let name)? = profile.attributes["Name"] { self.name = name } else { name = "" }
            customerId = profile.id
            lastActivity = activity.lastActivity
            couponRedemptions = activity.couponRedemptions
            couponUseAttempts = activity.couponUseAttempts
            couponFailedAttempts = activity.couponFailedAttempts
            accruedDiscounts = activity.accruedDiscounts
            accruedRevenue = activity.accruedRevenue
            totalOrders = activity.totalOrders
            totalOrdersNoCoupon = activity.totalOrdersNoCoupon
            // Sconto's reports are per customer, across the application's campaigns.
            campaignName = ""
        }
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.get, "/v1/applications/:applicationId/customer_activity_reports/no_total") { request, context in
            let application = try await store.application(
                id: context.id("applicationId"), accountId: context.managementCaller().accountId
            )
            let query = request.uri.queryParameters
            // Matching names needs Talon.One's search index; Sconto refuses these filters rather than ignore them.
            for unsupported in ["name", "campaignName", "advocateName"] where query.get(unsupported) != nil {
                throw APIError.badParameter(unsupported, "is not supported by Sconto; filter by integrationId")
            }
            let start = try request.requiredDateParameter("rangeStart")
            let end = try request.requiredDateParameter("rangeEnd")
            guard end >= start else { throw APIError.badParameter("rangeEnd", "must not be before rangeStart") }
            let page = try request.pageRequest()
            let profiles = try await store.profiles(
                applicationId: application.id, integrationId: query.get("integrationId"), page: page
            )
            let activities = try await CustomerActivity.read(
                store: store, applicationId: application.id, profiles: Set(profiles.items.map(\.integrationId)),
                from: start, to: end
            )
            return try WireCoding.response(ListingWithoutTotal(
                hasMore: profiles.totalCount > page.skip + profiles.items.count,
                data: profiles.items.map { ReportBody($0, activities[$0.integrationId] ?? CustomerActivity()) }
            ))
        }
    }
}
