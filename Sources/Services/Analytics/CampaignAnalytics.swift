import Foundation
import PromotionEngine
import Storage

/// One period of a campaign's analytics: what happened in it, and the running totals since the start.
public struct CampaignAnalyticsRow: Sendable, Hashable {
    public var date: Date
    public var revenue: Decimal = 0, totalRevenue: Decimal = 0
    public var refund: Decimal = 0, totalRefund: Decimal = 0
    public var discountCosts: Decimal = 0, totalDiscountCosts: Decimal = 0
    public var refundedDiscounts: Decimal = 0, totalRefundedDiscounts: Decimal = 0
    public var freeItems = 0, totalFreeItems = 0
    public var couponRedemptions = 0, totalCouponRedemptions = 0
    public var rolledBackRedemptions = 0, totalRolledBackRedemptions = 0
    public var couponsCreated = 0, totalCouponsCreated = 0
    public var referralRedemptions = 0, totalReferralRedemptions = 0
    public var referralsCreated = 0, totalReferralsCreated = 0
    public var addedLoyaltyPoints: Decimal = 0, totalAddedLoyaltyPoints: Decimal = 0
    public var deductedLoyaltyPoints: Decimal = 0, totalDeductedLoyaltyPoints: Decimal = 0

    public init(date: Date) { self.date = date }
}

/// Adds up a campaign's session events into periods (in the application's time zone). Pure.
public enum CampaignAnalytics {
    public enum Granularity: String, Sendable, CaseIterable {
        case hour = "1 hour", day = "1 day", week = "1 week", month = "1 month", year = "1 year"

        var component: Calendar.Component {
            switch self {
            case .hour: .hour
            case .day: .day
            case .week: .weekOfYear
            case .month: .month
            case .year: .year
            }
        }
    }

    /// - Parameters:
    ///   - events: the application's session events from the campaign's start to `end`, oldest first.
    ///   - couponCreations: when each of the campaign's coupons was created.
    public static func rows(
        campaignId: Int64, events: [SessionEvent], couponCreations: [Date], from start: Date, to end: Date,
        granularity: Granularity, timeZone: TimeZone
    ) -> [CampaignAnalyticsRow] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        func bucket(_ date: Date) -> Date {
            calendar.dateInterval(of: granularity.component, for: date)?.start ?? date
        }
        var periods: [Date: CampaignAnalyticsRow] = [:]
        func add(_ date: Date, _ change: (inout CampaignAnalyticsRow) -> Void) {
            let key = bucket(date)
            change(&periods[key, default: CampaignAnalyticsRow(date: key)])
        }
        for event in events {
            let mine = event.effects.filter { $0.campaignId == campaignId }
            guard !mine.isEmpty else { continue }
            var total: Decimal = 0
            if case .number(let value)? = event.attributes["total"] { total = value }
            switch event.type {
            case .sessionClosed:
                add(event.created) { row in
                    if mine.contains(where: { !$0.type.isRejection }) { row.revenue += total }
                    for effect in mine {
                        switch effect.kind {
                        case .acceptCoupon: row.couponRedemptions += 1
                        case .addFreeItem: row.freeItems += 1
                        case .acceptReferral: row.referralRedemptions += 1
                        case .addLoyaltyPoints(let change): row.addedLoyaltyPoints += change.value
                        case .deductLoyaltyPoints(let change): row.deductedLoyaltyPoints += change.value
                        case _ where effect.type == .referralCreated: row.referralsCreated += 1
                        default: row.discountCosts += effect.discountValue ?? 0
                        }
                    }
                }
            case .sessionCancelled, .sessionReopened:
                add(event.created) { row in
                    row.refund += total
                    for effect in mine {
                        switch effect.kind {
                        case .rollbackCoupon: row.rolledBackRedemptions += 1
                        case .rollbackDiscount(let rollback): row.refundedDiscounts += rollback.value
                        default: break
                        }
                    }
                }
            default:
                continue
            }
        }
        for created in couponCreations { add(created) { $0.couponsCreated += 1 } }

        // Every period of the range, with running totals from the campaign's start.
        var running = CampaignAnalyticsRow(date: start)
        var rows: [CampaignAnalyticsRow] = []
        for key in periods.keys.sorted() where key < bucket(start) { accumulate(periods[key]!, into: &running) }
        var cursor = bucket(start)
        while cursor <= end {
            var row = periods[cursor] ?? CampaignAnalyticsRow(date: cursor)
            accumulate(row, into: &running)
            row.totalRevenue = running.revenue
            row.totalRefund = running.refund
            row.totalDiscountCosts = running.discountCosts
            row.totalRefundedDiscounts = running.refundedDiscounts
            row.totalFreeItems = running.freeItems
            row.totalCouponRedemptions = running.couponRedemptions
            row.totalRolledBackRedemptions = running.rolledBackRedemptions
            row.totalCouponsCreated = running.couponsCreated
            row.totalReferralRedemptions = running.referralRedemptions
            row.totalReferralsCreated = running.referralsCreated
            row.totalAddedLoyaltyPoints = running.addedLoyaltyPoints
            row.totalDeductedLoyaltyPoints = running.deductedLoyaltyPoints
            rows.append(row)
            guard let next = calendar.date(byAdding: granularity.component, value: 1, to: cursor), rows.count < 10_000
            else { break }
            cursor = next
        }
        return rows
    }

    private static func accumulate(_ row: CampaignAnalyticsRow, into running: inout CampaignAnalyticsRow) {
        running.revenue += row.revenue
        running.refund += row.refund
        running.discountCosts += row.discountCosts
        running.refundedDiscounts += row.refundedDiscounts
        running.freeItems += row.freeItems
        running.couponRedemptions += row.couponRedemptions
        running.rolledBackRedemptions += row.rolledBackRedemptions
        running.couponsCreated += row.couponsCreated
        running.referralRedemptions += row.referralRedemptions
        running.referralsCreated += row.referralsCreated
        running.addedLoyaltyPoints += row.addedLoyaltyPoints
        running.deductedLoyaltyPoints += row.deductedLoyaltyPoints
    }
}
