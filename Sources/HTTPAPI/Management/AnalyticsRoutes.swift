import Foundation
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `GET /v1/applications/{applicationId}/campaigns/{campaignId}/analytics`: per-period revenue, discounts,
/// coupon redemptions, rollbacks and created coupons, with running totals.
struct AnalyticsRoutes {
    let store: any Store

    /// The SDK's `CampaignAnalytics` (referrals and loyalty are 0: those features do not exist yet).
    struct RowBody: Encodable, Sendable {
        var date: Date
        var campaignRevenue: Decimal, totalCampaignRevenue: Decimal
        var campaignRefund: Decimal, totalCampaignRefund: Decimal
        var campaignDiscountCosts: Decimal, totalCampaignDiscountCosts: Decimal
        var campaignRefundedDiscounts: Decimal, totalCampaignRefundedDiscounts: Decimal
        var campaignFreeItems: Int, totalCampaignFreeItems: Int
        var couponRedemptions: Int, totalCouponRedemptions: Int
        var couponRolledbackRedemptions: Int, totalCouponRolledbackRedemptions: Int
        var referralRedemptions = 0, totalReferralRedemptions = 0
        var couponsCreated: Int, totalCouponsCreated: Int
        var referralsCreated = 0, totalReferralsCreated = 0
        var addedLoyaltyPoints = 0, totalAddedLoyaltyPoints = 0
        var deductedLoyaltyPoints = 0, totalDeductedLoyaltyPoints = 0

        init(_ row: CampaignAnalyticsRow) {
            date = row.date
            campaignRevenue = row.revenue
            totalCampaignRevenue = row.totalRevenue
            campaignRefund = row.refund
            totalCampaignRefund = row.totalRefund
            campaignDiscountCosts = row.discountCosts
            totalCampaignDiscountCosts = row.totalDiscountCosts
            campaignRefundedDiscounts = row.refundedDiscounts
            totalCampaignRefundedDiscounts = row.totalRefundedDiscounts
            campaignFreeItems = row.freeItems
            totalCampaignFreeItems = row.totalFreeItems
            couponRedemptions = row.couponRedemptions
            totalCouponRedemptions = row.totalCouponRedemptions
            couponRolledbackRedemptions = row.rolledBackRedemptions
            totalCouponRolledbackRedemptions = row.totalRolledBackRedemptions
            couponsCreated = row.couponsCreated
            totalCouponsCreated = row.totalCouponsCreated
        }
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.get, "/v1/applications/:applicationId/campaigns/:campaignId/analytics") { request, context in
            let application = try await store.application(
                id: context.id("applicationId"), accountId: context.managementCaller().accountId
            )
            let campaign = try await store.campaign(id: context.id("campaignId"), applicationId: application.id)
            let query = request.uri.queryParameters
            let start = try request.requiredDateParameter("rangeStart")
            let end = try request.requiredDateParameter("rangeEnd")
            guard end >= start else { throw APIError.badParameter("rangeEnd", "must not be before rangeStart") }
            let granularityText = query.get("granularity") ?? "1 day"
            guard let granularity = CampaignAnalytics.Granularity(rawValue: granularityText) else {
                throw APIError.badParameter("granularity", "must be one of \(CampaignAnalytics.Granularity.allCases.map(\.rawValue))")
            }
            let events = try await sessionEvents(application.id, from: campaign.created, to: end)
            var couponFilter = CouponFilter(campaignId: campaign.id)
            couponFilter.createdBefore = end
            let couponCreations = try await allCoupons(application.id, couponFilter).map(\.created)
            let rows = CampaignAnalytics.rows(
                campaignId: campaign.id, events: events, couponCreations: couponCreations, from: start, to: end,
                granularity: granularity, timeZone: TimeZone(identifier: application.settings.timezone) ?? .gmt
            )
            return try WireCoding.response(Listing(totalResultSize: rows.count, data: rows.map(RowBody.init)))
        }
    }

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

    private func allCoupons(_ applicationId: Int64, _ filter: CouponFilter) async throws -> [Coupon] {
        var coupons: [Coupon] = []
        try await store.forEachCouponPage(applicationId: applicationId, filter: filter) { coupons += $0 }
        return coupons
    }
}
