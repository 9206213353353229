import Foundation
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `GET /v1/applications/{applicationId}/campaigns/{campaignId}/analytics`: per-period revenue, discounts,
/// coupon redemptions, rollbacks and created coupons, with running totals.
struct AnalyticsRoutes {
    let store: any Store

    /// The SDK's `CampaignAnalytics`.
    struct RowBody: Encodable, Sendable {
        var date: Date
        var campaignRevenue: Decimal, totalCampaignRevenue: Decimal
        var campaignRefund: Decimal, totalCampaignRefund: Decimal
        var campaignDiscountCosts: Decimal, totalCampaignDiscountCosts: Decimal
        var campaignRefundedDiscounts: Decimal, totalCampaignRefundedDiscounts: Decimal
        var campaignFreeItems: Int, totalCampaignFreeItems: Int
        var couponRedemptions: Int, totalCouponRedemptions: Int
        var couponRolledbackRedemptions: Int, totalCouponRolledbackRedemptions: Int
        var referralRedemptions: Int, totalReferralRedemptions: Int
        var couponsCreated: Int, totalCouponsCreated: Int
        var referralsCreated: Int, totalReferralsCreated: Int
        var addedLoyaltyPoints: Decimal, totalAddedLoyaltyPoints: Decimal
        var deductedLoyaltyPoints: Decimal, totalDeductedLoyaltyPoints: Decimal

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
            referralRedemptions = row.referralRedemptions
            totalReferralRedemptions = row.totalReferralRedemptions
            referralsCreated = row.referralsCreated
            totalReferralsCreated = row.totalReferralsCreated
            addedLoyaltyPoints = row.addedLoyaltyPoints
            totalAddedLoyaltyPoints = row.totalAddedLoyaltyPoints
            deductedLoyaltyPoints = row.deductedLoyaltyPoints
            totalDeductedLoyaltyPoints = row.totalDeductedLoyaltyPoints
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
            let rows = try await AnalyticsReport(store: store).campaignRows(
                application: application, campaign: campaign, from: start, to: end, granularity: granularity
            )
            return try WireCoding.response(Listing(totalResultSize: rows.count, data: rows.map(RowBody.init)))
        }
    }
}
