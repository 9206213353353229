import Foundation
import PromotionEngine
import SQLiteStorage
import Services
import Storage
import Testing

@Suite struct CouponJobsTests {
    /// A job whose inserts fail (here: no such campaign) reports a generic failure, never the SQL.
    @Test func aFailedJobShowsNoDatabaseInternals() async throws {
        let fixture = try await Fixture()
        let jobs = CouponJobs(store: fixture.store)
        let template = Coupon(id: 0, campaignId: 999, value: "", usageLimit: 0, created: Date())
        let request = CouponRequest(numberOfCoupons: 10, pattern: CouponPattern(pattern: "X-######"), template: template)
        await jobs.start(request, application: fixture.application, batchId: "b1")
        var progress = await jobs.progress("b1", applicationId: fixture.application.id, campaignId: 999)
        for _ in 0..<200 where progress?.done != true {
            try await Task.sleep(for: .milliseconds(10))
            progress = await jobs.progress("b1", applicationId: fixture.application.id, campaignId: 999)
        }
        let failure = try #require(progress?.failure)
        #expect(!failure.contains("SQL") && !failure.contains("INSERT"))
        #expect(await jobs.progress("b1", applicationId: fixture.application.id + 1, campaignId: 999) == nil)
        #expect(await jobs.progress("b1", applicationId: fixture.application.id, campaignId: 998) == nil)
    }

    /// Even with the check bypassed, generation from a one-code space ends (it used to spin forever).
    @Test func generationFromAnExhaustedSpaceEnds() async throws {
        let fixture = try await Fixture()
        var settings = fixture.application.settings
        settings.caseSensitivity = .insensitiveUppercase
        let application = try await fixture.store.updateApplication(
            id: fixture.application.id, accountId: 1, settings: settings, now: Date()
        )
        let template = Coupon(id: 0, campaignId: 999, value: "", usageLimit: 0, created: Date())
        let request = CouponRequest(
            numberOfCoupons: 5, pattern: CouponPattern(pattern: "#####", validCharacters: ["a", "A"]), template: template
        )
        let started = ContinuousClock.now
        _ = try? await CouponGeneration(store: fixture.store).generateCount(request, application: application)
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
