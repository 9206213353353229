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
        try await jobs.start(request, application: fixture.application, batchId: "b1")
        var progress = try await jobs.progress("b1", applicationId: fixture.application.id, campaignId: 999)
        for _ in 0..<200 where progress?.done != true {
            try await Task.sleep(for: .milliseconds(10))
            progress = try await jobs.progress("b1", applicationId: fixture.application.id, campaignId: 999)
        }
        let failure = try #require(progress?.failure)
        #expect(!failure.contains("SQL") && !failure.contains("INSERT"))
        #expect(try await jobs.progress("b1", applicationId: fixture.application.id + 1, campaignId: 999) == nil)
        #expect(try await jobs.progress("b1", applicationId: fixture.application.id, campaignId: 998) == nil)
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

    /// A job whose node died mid-way (its lease lapsed) is resumed by another worker, which makes only the
    /// missing codes: the batch ends with exactly the requested number, read through any store.
    @Test func aJobOfADeadNodeIsResumedOnceItsLeaseExpires() async throws {
        let fixture = try await Fixture()
        let campaign = try await fixture.store.createCampaign(
            applicationId: fixture.application.id, userId: 1, settings: CampaignSettings(name: "c"), now: Date()
        )
        var template = Coupon(id: 0, campaignId: campaign.id, value: "", usageLimit: 1, created: Date().storagePrecision)
        template.batchId = "resumed"
        let request = CouponRequest(numberOfCoupons: 5_000, pattern: CouponPattern(pattern: "R-########"), template: template)
        // Queued through a node whose worker never runs; a "dead" node claims it, makes 1,500 codes, and dies.
        let jobs = CouponJobs(store: fixture.store, worker: CouponJobWorker(store: fixture.store))
        try await jobs.start(request, application: fixture.application, batchId: "resumed")
        let now = Date()
        let claimed = try #require(try await fixture.store.claimCouponJob(holder: "dead", now: now,
                                                                         until: now.addingTimeInterval(0.3)))
        var partial = request
        partial.numberOfCoupons = 1_500
        _ = try await CouponGeneration(store: fixture.store).generateCount(partial, application: fixture.application)
        #expect(claimed.created == 0)

        let survivor = CouponJobWorker(store: fixture.store, lease: 30, pollInterval: .milliseconds(50))
        let running = Task { try await survivor.run() }
        defer { running.cancel() }
        var progress = try await jobs.progress("resumed", applicationId: fixture.application.id, campaignId: campaign.id)
        let deadline = ContinuousClock.now + .seconds(60)
        while progress?.done != true, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            progress = try await jobs.progress("resumed", applicationId: fixture.application.id, campaignId: campaign.id)
        }
        #expect(progress?.done == true && progress?.failure == nil)
        #expect(progress?.created == 5_000)
        var filter = CouponFilter(campaignId: campaign.id)
        filter.batchId = "resumed"
        #expect(try await fixture.store.countCoupons(applicationId: fixture.application.id, filter: filter) == 5_000)
    }
}
