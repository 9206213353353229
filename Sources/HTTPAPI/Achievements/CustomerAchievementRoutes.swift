import Foundation
import Hummingbird
import PromotionEngine
import Services
import Storage

/// A customer's achievements (Integration API): where the profile stands in each of the application's
/// achievements, and its progress history in one.
struct CustomerAchievementRoutes {
    let store: any Store

    func register(on routes: RouteRegistrar) {
        routes.on(.get, "/v1/customer_profiles/:integrationId/achievements") { request, context in
            let (application, profileId) = try await profile(context)
            let query = request.uri.queryParameters
            let page = try AchievementRoutes.page(request, maximum: 1000)
            let campaignIds = try Self.list(query.get("campaignIds"), "campaignIds") { Int64($0) }
            let achievementIds = try Self.list(query.get("achievementIds"), "achievementIds") { Int64($0) }
            let statuses = try Self.list(query.get("achievementStatus"), "achievementStatus") {
                ["active", "scheduled"].contains($0) ? $0 : nil
            } ?? ["active"]  // The spec: without a status, only active achievements.
            let progressStatuses = try Self.list(query.get("currentProgressStatus"), "currentProgressStatus") {
                AchievementTracker.Status(rawValue: $0).flatMap { $0 == .expired ? nil : $0 }
            }
            let now = Date()
            let standings = try await AchievementSteps.standings(store, application: application, profileId: profileId,
                                                                 now: now)
                .filter { standing in
                    let achievement = standing.achievement
                    return (campaignIds.map { $0.contains(achievement.campaignId) } ?? true)
                        && (achievementIds.map { $0.contains(achievement.id) } ?? true)
                        && statuses.contains(achievement.isScheduled(at: now) ? "scheduled" : "active")
                        && (progressStatuses.map { $0.contains(standing.currentStatus(at: now)) } ?? true)
                }
            return try WireCoding.response(Listing(
                totalResultSize: standings.count,
                data: standings.dropFirst(page.skip).prefix(page.pageSize).map { CustomerAchievementBody($0, now: now) }
            ))
        }
        routes.on(.get, "/v1/customer_profiles/:integrationId/achievements/:achievementId") { request, context in
            let (application, profileId) = try await profile(context)
            let achievementId = try context.id("achievementId")
            let query = request.uri.queryParameters
            let page = try AchievementRoutes.page(request, maximum: 1000)
            let statuses = try Self.list(query.get("progressStatus"), "progressStatus") {
                AchievementTracker.Status(rawValue: $0).flatMap { $0 == .notStarted ? nil : $0 }
            }
            let startDate = try request.dateParameter("startDate")
            let endDate = try request.dateParameter("endDate")
            guard try await store.achievementsWithLatestTrackers(applicationId: application.id,
                                                                 profileIntegrationId: profileId)
                .contains(where: { $0.achievement.id == achievementId })
            else { throw StoreError.notFound(entity: "achievement") }
            let now = Date()
            let trackers = try await store.achievementTrackers(achievementId: achievementId, profileIntegrationId: profileId)
                .filter { tracker in
                    (statuses.map { $0.contains(tracker.status(at: now)) } ?? true)
                        && (startDate.map { tracker.startDate >= $0 } ?? true)
                        && (endDate.map { tracker.startDate <= $0 } ?? true)
                }
            return try WireCoding.response(Listing(
                totalResultSize: trackers.count,
                data: trackers.dropFirst(page.skip).prefix(page.pageSize).map { AchievementProgressBody($0, now: now) }
            ))
        }
    }

    /// The key's application and the profile, which must exist in it (404 otherwise).
    private func profile(_ context: SContoRequestContext) async throws -> (PromotionEngine.Application, String) {
        let key = try context.integrationKey()
        let profileId = try Identifier.parameter(context.parameters.get("integrationId"), name: "integrationId")
        guard try await store.profile(applicationId: key.applicationId, integrationId: profileId) != nil else {
            throw StoreError.notFound(entity: "customer profile")
        }
        return (try await store.application(id: key.applicationId, accountId: key.accountId), profileId)
    }

    /// A comma-separated query list (the spec's `style: form, explode: false`); 400 naming it on a bad item.
    static func list<T>(_ text: String?, _ name: String, _ parse: (String) -> T?) throws -> [T]? {
        guard let text, !text.isEmpty else { return nil }
        return try text.split(separator: ",").map { item in
            guard let value = parse(String(item)) else { throw APIError.badParameter(name, "has an unknown value \(item)") }
            return value
        }
    }
}

/// The spec's item of `getCustomerAchievements`: the achievement, its status for customers, and the profile's
/// current progress.
struct CustomerAchievementBody: Encodable, Sendable {
    var definition: AchievementDefinitionBody
    var status: String
    var currentProgress: AchievementProgressBody

    private enum CodingKeys: String, CodingKey { case status, currentProgress }

    init(_ standing: AchievementStanding, now: Date) {
        definition = AchievementDefinitionBody(standing.achievement)
        status = standing.achievement.isScheduled(at: now) ? "scheduled" : "active"
        currentProgress = AchievementProgressBody(standing, now: now)
    }

    func encode(to encoder: any Encoder) throws {
        try definition.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(currentProgress, forKey: .currentProgress)
    }
}
