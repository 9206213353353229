import Foundation
import PromotionEngine
import Services

/// Analytics as server-rendered charts: per application (sessions, revenue, discounts, redemptions per day)
/// and per campaign (redemptions, discounts given, revenue per day).
enum AnalyticsPage {
    static func application(
        _ application: Application, days: [AnalyticsReport.Day], user: ManagerLogin.User
    ) -> HTML {
        let currency = application.settings.currency
        let zone = TimeZone(identifier: application.settings.timezone) ?? .gmt
        return Layout.page(title: "Analytics of \(application.settings.name)", user: user) {
            Layout.applicationNav(application)
            tag("section", ["class": "card"]) {
                tag("p") { "The last \(days.count) days, in the application's time zone (\(application.settings.timezone))." }
                chart("Closed sessions", id: "chart-sessions", days.map { (day($0.date, in: zone), Decimal($0.sessions)) })
                chart("Revenue", id: "chart-revenue", days.map { (day($0.date, in: zone), $0.revenue) }, unit: currency)
                chart("Discounts given", id: "chart-discounts", days.map { (day($0.date, in: zone), $0.discounts) }, unit: currency)
                chart("Coupon redemptions", id: "chart-redemptions", days.map { (day($0.date, in: zone), Decimal($0.redemptions)) })
            }
        }
    }

    static func campaign(
        _ application: Application, campaign: Campaign, rows: [CampaignAnalyticsRow], user: ManagerLogin.User
    ) -> HTML {
        let currency = application.settings.currency
        let zone = TimeZone(identifier: application.settings.timezone) ?? .gmt
        return Layout.page(title: "Analytics of \(campaign.settings.name)", user: user) {
            Layout.applicationNav(application)
            tag("p") { tag("a", ["href": "/applications/\(application.id)/campaigns/\(campaign.id)"]) { "← the campaign" } }
            tag("section", ["class": "card"]) {
                tag("p") { "The last \(rows.count) days, in the application's time zone (\(application.settings.timezone))." }
                chart("Coupon redemptions", id: "chart-redemptions", rows.map { (day($0.date, in: zone), Decimal($0.couponRedemptions)) })
                chart("Discounts given", id: "chart-discounts", rows.map { (day($0.date, in: zone), $0.discountCosts) }, unit: currency)
                chart("Revenue", id: "chart-revenue", rows.map { (day($0.date, in: zone), $0.revenue) }, unit: currency)
                chart("Coupons created", id: "chart-coupons", rows.map { (day($0.date, in: zone), Decimal($0.couponsCreated)) })
            }
        }
    }

    private static func chart(_ title: String, id: String, _ points: [(String, Decimal)], unit: String? = nil) -> HTML {
        let total = points.reduce(Decimal(0)) { $0 + $1.1 }
        return Chart.bars(title, id: id, points: points.map { Chart.Point(label: $0.0, value: $0.1) },
                          total: unit.map { "\(total) \($0)" } ?? "\(total)")
    }

    /// Periods start at midnight in the application's time zone: name the day there.
    private static func day(_ date: Date, in timeZone: TimeZone) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: timeZone).year().month().day())
    }
}
