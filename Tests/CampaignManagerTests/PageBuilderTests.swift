@testable import CampaignManager
import Foundation
import PromotionEngine
import Storage
import Testing

@Suite struct ChartTests {
    @Test func oneBarPerNonZeroPeriodScaledToTheLargest() {
        let chart = Chart.bars("Discounts <given>", id: "c", points: [
            .init(label: "2026-11-01", value: 0), .init(label: "2026-11-02", value: 10), .init(label: "2026-11-03", value: 5),
        ], total: "15 EUR").rendered
        #expect(chart.components(separatedBy: "<rect ").count - 1 == 2)
        #expect(chart.contains(#"height="130.0""#) && chart.contains(#"height="65.0""#))
        #expect(chart.contains("Discounts &lt;given&gt;") && !chart.contains("<given>"))
        #expect(chart.contains("2026-11-01") && chart.contains("2026-11-03"))
    }

    @Test func anEmptyRangeDrawsOnlyTheAxis() {
        let chart = Chart.bars("Sessions", id: "s", points: [.init(label: "d", value: 0)], total: "0").rendered
        #expect(!chart.contains("<rect") && chart.contains("<line"))
    }
}

@Suite struct TryItCartTests {
    @Test func theDefaultCartIsTheTutorialsAndBecomesASessionUpdate() throws {
        var form = TryItPage.Cart()
        form.couponCode = "XMAS"
        let update = try form.update().get()
        #expect(update.cartItems?.map(\.sku) == ["rdbs-1111", "dtr-2222"])
        #expect(update.cartItems?.reduce(Decimal(0)) { $0 + $1.total } == 123)
        #expect(update.couponCodes == ["XMAS"] && update.profileId == nil)
    }

    @Test func badRowsAreNamedByTheirPointer() {
        let cart = TryItPage.Cart(form: FormData(encoded: "sku0=a&quantity0=x&price0=1&sku1=b&quantity1=0&price1=-2"))
        guard case .failure(let failure) = cart.update() else { Issue.record("accepted"); return }
        #expect(failure.issues.map(\.pointer) == ["/cartItems/0/quantity", "/cartItems/1/quantity", "/cartItems/1/price"])
    }
}

@Suite struct LogFilterTests {
    @Test func datetimeLocalValuesAreReadAsUTC() {
        #expect(LogPageRoutes.parse("2026-11-27T15:04") == Date(timeIntervalSince1970: 1_795_791_840))
        #expect(LogPageRoutes.parse("2026-11-27T15:04:30") == Date(timeIntervalSince1970: 1_795_791_870))
        #expect(LogPageRoutes.parse("yesterday") == nil)
    }
}

@Suite struct AttributesPageTests {
    @Test func customAttributesAreEscapedAndBuiltInsListed() {
        let user = ManagerLogin.User(userId: 1, accountId: 1, tokenHash: "h", csrfToken: "t")
        let page = AttributesPage.render(custom: [.init(id: 1, accountId: 1, created: Date(), definition: .init(
            entity: .customerProfile, name: "tier", title: "<b>Tier</b>", type: .string, suggestions: ["<i>"]))],
                                         user: user).rendered
        #expect(page.contains("&lt;b&gt;Tier&lt;/b&gt;") && page.contains("&lt;i&gt;") && !page.contains("<b>Tier"))
        #expect(page.contains(#"name="csrf" value="t""#))
        #expect(page.contains("builtin-attributes"))
    }
}

@Suite struct RulesetDiffTests {
    @Test func changedLinesAreRemovedAndAddedAroundCommonOnes() {
        let lines = RulesetDiff.lines(from: "a\nb\nc", to: "a\nx\nc\nd")
        #expect(lines == [.same("a"), .removed("b"), .added("x"), .same("c"), .added("d")])
        #expect(RulesetDiff.lines(from: "", to: "") == [.same("")])
    }
}

@Suite struct CampaignFormTests {
    @Test func budgetsScheduleAndTagsComeFromTheFormAndOtherLimitsStay() {
        var stored = CampaignSettings(name: "old", state: .enabled, features: [])
        stored.limits = [LimitConfig(action: .setDiscount, limit: 5), LimitConfig(action: .createCoupon, limit: 9)]
        var issues: [ValidationIssue] = []
        let form = FormData(encoded: "name=New&state=disabled&startTime=2026-12-01T00%3A00&tags=a%2C+b%2C&"
            + "discountBudget=&redemptionBudget=10&redemptionsPerCustomer=1")
        let settings = CampaignEditRoutes.settings(form, from: stored, groups: [], issues: &issues)
        #expect(issues.isEmpty)
        #expect(settings.name == "New" && settings.state == .disabled && settings.tags == ["a", "b"])
        #expect(settings.startTime == LogPageRoutes.parse("2026-12-01T00:00") && settings.endTime == nil)
        #expect(settings.limits == [LimitConfig(action: .createCoupon, limit: 9), LimitConfig(action: .redeemCoupon, limit: 10),
                                    LimitConfig(action: .redeemCoupon, limit: 1, entities: [.profile])])
        _ = CampaignEditRoutes.settings(FormData(encoded: "name=x&discountBudget=lots&endTime=soon"), from: stored,
                                        groups: [], issues: &issues)
        #expect(issues.map(\.pointer) == ["/endTime", "/limits/discountBudget"])
    }
}

@Suite struct PagingTests {
    @Test func linksKeepTheQueryAndAppearOnlyWhenThereIsAnotherPage() {
        #expect(Paging(number: 0, path: "/a/sessions").links(hasMore: false).rendered.isEmpty)
        let first = Paging(number: 0, path: "/a/sessions?q=x%20y").links(hasMore: true).rendered
        #expect(first.contains(#"href="/a/sessions?q=x%20y&amp;page=1""#) && !first.contains("Previous"))
        let middle = Paging(number: 2, path: "/a/logs")
        #expect(middle.request == PageRequest(pageSize: 100, skip: 200))
        let links = middle.links(Page(items: [1], totalCount: 301)).rendered
        #expect(links.contains(#"href="/a/logs?page=1""#) && links.contains(#"href="/a/logs?page=3""#))
        #expect(!middle.links(Page(items: [1], totalCount: 300)).rendered.contains("Next"))
    }
}

@Suite struct PeriodBudgetTests {
    @Test func periodBudgetsAreReadPerPeriodAndOthersStay() {
        var stored = CampaignSettings(name: "c", state: .enabled, features: [])
        stored.limits = [LimitConfig(action: .setDiscount, limit: 50), LimitConfig(action: .setDiscount, limit: 7, period: .monthly)]
        var issues: [ValidationIssue] = []
        let form = FormData(encoded: "name=c&discountBudget=50&discountBudget-daily=100&redemptionBudget-weekly=5&"
            + "discountBudget-monthly=&redemptionBudget-yearly=x")
        let settings = CampaignEditRoutes.settings(form, from: stored, groups: [], issues: &issues)
        #expect(issues.map(\.pointer) == ["/limits/redemptionBudget-yearly"])
        #expect(Set(settings.limits) == [
            LimitConfig(action: .setDiscount, limit: 50), LimitConfig(action: .setDiscount, limit: 100, period: .daily),
            LimitConfig(action: .redeemCoupon, limit: 5, period: .weekly),
        ])
        let page = CampaignSettingsPage.render(
            Application(id: 1, accountId: 1, created: Date(), modified: Date(),
                        settings: ApplicationSettings(name: "a", timezone: "UTC", currency: "EUR")),
            campaign: Campaign(id: 2, applicationId: 1, userId: 1, created: Date(), updated: Date(), activeRulesetId: nil,
                               settings: settings),
            settings: settings, groups: [],
            user: ManagerLogin.User(userId: 1, accountId: 1, tokenHash: "", csrfToken: "t")).rendered
        #expect(page.contains(#"name="discountBudget-daily" type="text" value="100""#))
    }
}
