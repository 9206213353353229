import Foundation
import Logging
import PromotionEngine
import Storage

/// `sconto serve --demo`: the seed tutorial's setup, so the README's quickstart is three lines.
///
/// An application "Demo shop" with one campaign ("any valid coupon code gives 20% off the session"),
/// the coupon `xmas20`, and an Integration API key that is printed once. Idempotent: a database that
/// already has the demo application is left as it is.
enum DemoSeed {
    static let applicationName = "Demo shop"

    static func run(store: any Store, logger: Logger) async throws {
        let now = Date().storagePrecision
        let existing = try await store.applications(accountId: 1, page: PageRequest(pageSize: 1000))
        if existing.items.contains(where: { $0.settings.name == applicationName }) {
            logger.notice("demo: the \"\(applicationName)\" application exists already; create a new API key in it to use it")
            return
        }
        let application = try await store.createApplication(
            accountId: 1, settings: ApplicationSettings(name: applicationName, timezone: "Europe/Berlin", currency: "EUR"),
            now: now
        )
        var settings = CampaignSettings(name: "Tutorial: 20% off with any valid coupon", features: [.coupons])
        settings.description = "Any valid coupon code gives a 20% discount on the session."
        let campaign = try await store.createCampaign(applicationId: application.id, userId: 1, settings: settings, now: now)
        let rule = RuleDefinition(
            title: "20% off with a valid coupon",
            condition: .array([.string("couponValid")]),
            effects: [.array([
                .string("setDiscount"), .string("20% off"),
                .array([.string("*"), .array([.string("."), .string("Session"), .string("Total")]),
                        .array([.string("/"), .number(20), .number(100)])]),
            ])]
        )
        _ = try await store.createRuleset(
            campaignId: campaign.id, applicationId: application.id, userId: 1, rules: [rule], bindings: [],
            strikethroughRules: [], activate: true, now: now
        )
        _ = try await store.insertCoupons(
            [Coupon(id: 0, campaignId: campaign.id, value: "xmas20", created: now)], applicationId: application.id,
            normalizedValues: [application.normalizedCouponCode("xmas20")]
        )
        let secret = Secret.generate()
        _ = try await store.createIntegrationKey(IntegrationKey(
            id: 0, accountId: 1, applicationId: application.id, createdBy: 1, title: "demo",
            keyHash: Secret.storageHash(secret), expires: now.addingTimeInterval(365 * 86400), type: "",
            platform: nil, timeOffset: 0, created: now
        ))
        logger.notice("demo: application \(application.id) \"\(applicationName)\" with coupon xmas20 (20% off); Integration API key: \(secret)")
    }
}
