import Foundation
import Hummingbird
import PromotionEngine
import Services
import Storage

/// Achievements (Management API): a campaign's achievements, their CSV export, and one profile's progress.
struct AchievementRoutes {
    let store: any Store
    let configuration: APIConfiguration

    static let exportColumns = [
        "profileIntegrationID", "title", "target", "progress", "status", "startDate", "endDate", "completionDate",
    ]

    func register(on routes: RouteRegistrar) {
        let achievements = "/v1/applications/:applicationId/campaigns/:campaignId/achievements"
        routes.on(.post, achievements) { request, context in
            let (application, campaign) = try await target(context)
            let fields = try await request.decodeJSON(AchievementFields.self, limit: configuration.maxBodySize)
            let blank = Achievement(campaignId: campaign.id, applicationId: application.id, name: "", title: "",
                                    description: "", target: 0, created: Date().storagePrecision,
                                    userId: try context.managementCaller().userId)
            let (achievement, issues) = fields.applied(to: blank, creating: true)
            guard issues.isEmpty else { throw ValidationFailure(issues) }
            let created = try await store.createAchievement(achievement)
            return try WireCoding.response(AchievementBody(created, hasProgress: false), status: .created)
        }
        routes.on(.get, achievements) { request, context in
            let (_, campaign) = try await target(context)
            let page = try Self.page(request, maximum: 50)
            let (found, hasMore) = try await store.achievements(
                campaignId: campaign.id, title: request.uri.queryParameters.get("title"), page: page
            )
            var bodies: [AchievementBody] = []
            for achievement in found {
                bodies.append(AchievementBody(achievement, hasProgress: try await store.achievementHasProgress(id: achievement.id)))
            }
            return try WireCoding.response(ListingWithoutTotal(hasMore: hasMore, data: bodies))
        }
        routes.on(.get, achievements + "/:achievementId") { _, context in
            let achievement = try await stored(context)
            return try WireCoding.response(AchievementBody(
                achievement, hasProgress: try await store.achievementHasProgress(id: achievement.id)
            ))
        }
        routes.on(.put, achievements + "/:achievementId") { request, context in
            let stored = try await stored(context)
            let fields = try await request.decodeJSON(AchievementFields.self, limit: configuration.maxBodySize)
            var (achievement, issues) = fields.applied(to: stored, creating: false)
            let hasProgress = try await store.achievementHasProgress(id: stored.id)
            if hasProgress, let field = fields.changesProgressRules(of: stored, into: achievement) {
                issues.append(ValidationIssue(pointer: "/\(field)", message: "cannot change once customers made progress"))
            }
            guard issues.isEmpty else { throw ValidationFailure(issues) }
            achievement = try await store.updateAchievement(achievement)
            return try WireCoding.response(AchievementBody(achievement, hasProgress: hasProgress))
        }
        routes.on(.delete, achievements + "/:achievementId") { _, context in
            let achievement = try await stored(context)
            try await store.deleteAchievement(id: achievement.id, campaignId: achievement.campaignId)
            return Response(status: .noContent)
        }
        routes.on(.get, achievements + "/:achievementId/export") { _, context in
            let achievement = try await stored(context)
            let store = store
            let now = Date()
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: CSV.line(Self.exportColumns)))
                try await store.forEachAchievementTrackerPage(achievementId: achievement.id) { page in
                    var chunk = ""
                    for tracker in page { chunk += CSV.line(Self.row(tracker, of: achievement, now: now)) }
                    try await writer.write(ByteBuffer(string: chunk))
                }
                try await writer.finish(nil)
            }
            // text/csv as the other exports: the spec says application/csv, which the SDK cannot read.
            return Response(status: .ok, headers: [.contentType: "text/csv"], body: body)
        }
        routes.on(.get, "/v1/applications/:applicationId/achievement_progress/:integrationId") { request, context in
            let application = try await store.application(
                id: context.id("applicationId"), accountId: context.managementCaller().accountId
            )
            let profileId = try Identifier.parameter(context.parameters.get("integrationId"), name: "integrationId")
            let page = try Self.page(request, maximum: 50)
            let query = request.uri.queryParameters
            let achievementId = try query.get("achievementId").map { text in
                guard let id = Int64(text) else { throw APIError.badParameter("achievementId", "must be an integer") }
                return id
            }
            let title = query.get("title")
            let now = Date()
            let standings = try await AchievementSteps.standings(store, application: application, profileId: profileId,
                                                                 now: now)
                .filter { standing in
                    (achievementId.map { standing.achievement.id == $0 } ?? true)
                        && (title.map { standing.achievement.title.contains($0) } ?? true)
                }
            let shown = standings.dropFirst(page.skip).prefix(page.pageSize)
            return try WireCoding.response(ListingWithoutTotal(
                hasMore: standings.count > page.skip + page.pageSize,
                data: shown.map { ProfileAchievementProgressBody($0, now: now) }
            ))
        }
    }

    /// `pageSize` (1 to `maximum`, default `maximum`) and `skip`.
    static func page(_ request: Request, maximum: Int) throws -> PageRequest {
        var page = PageRequest(pageSize: maximum)
        let query = request.uri.queryParameters
        if let text = query.get("pageSize") {
            guard let size = Int(text), (1...maximum).contains(size) else {
                throw APIError.badParameter("pageSize", "must be an integer from 1 to \(maximum)")
            }
            page.pageSize = size
        }
        if let text = query.get("skip") {
            guard let skip = Int(text), skip >= 0 else { throw APIError.badParameter("skip", "must be a non-negative integer") }
            page.skip = skip
        }
        return page
    }

    static func row(_ tracker: AchievementTracker, of achievement: Achievement, now: Date) -> [String] {
        [tracker.profileIntegrationId, achievement.title, "\(tracker.target)", "\(tracker.progress)",
         tracker.status(at: now).rawValue, RFC3339.format(tracker.startDate), tracker.endDate.map(RFC3339.format) ?? "",
         tracker.completionDate.map(RFC3339.format) ?? ""]
    }

    private func target(_ context: SContoRequestContext) async throws -> (PromotionEngine.Application, Campaign) {
        let application = try await store.application(
            id: context.id("applicationId"), accountId: context.managementCaller().accountId
        )
        return (application, try await store.campaign(id: context.id("campaignId"), applicationId: application.id))
    }

    private func stored(_ context: SContoRequestContext) async throws -> Achievement {
        let (_, campaign) = try await target(context)
        return try await store.achievement(id: context.id("achievementId"), campaignId: campaign.id)
    }
}

/// The spec's item of `getCustomerProfileAchievementProgress`: the current period and the achievement's settings.
struct ProfileAchievementProgressBody: Encodable, Sendable {
    var status: String
    var progress: Decimal
    var startDate: Date?
    var completionDate: Date?
    var endDate: Date?
    var achievementId: Int64
    var name: String
    var title: String
    var description: String
    var campaignId: Int64
    var target: Decimal
    var achievementRecurrencePolicy: String
    var achievementActivationPolicy: String
    var achievementFixedStartDate: Date?
    var achievementEndDate: Date?
    var achievementAllowRollbackAfterCompletion: Bool

    init(_ standing: AchievementStanding, now: Date) {
        let progress = AchievementProgressBody(standing, now: now)
        (status, self.progress, startDate, completionDate, endDate) =
            (progress.status, progress.progress, progress.startDate, progress.completionDate, progress.endDate)
        let achievement = standing.achievement
        (achievementId, name, title, description, campaignId, target) = (achievement.id, achievement.name,
            achievement.title, achievement.description, achievement.campaignId, achievement.target)
        (achievementRecurrencePolicy, achievementActivationPolicy) =
            (achievement.recurrencePolicy.rawValue, achievement.activationPolicy.rawValue)
        (achievementFixedStartDate, achievementEndDate, achievementAllowRollbackAfterCompletion) =
            (achievement.fixedStartDate, achievement.endDate, achievement.allowRollbackAfterCompletion)
    }
}
