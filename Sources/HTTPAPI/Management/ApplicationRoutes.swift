import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// `/v1/applications`: create, list, read, replace and delete applications.
struct ApplicationRoutes {
    let store: any Store
    let configuration: APIConfiguration

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/applications") { request, context in
            let accountId = try context.managementCaller().accountId
            let settings = try await decodeSettings(request)
            let application = try await store.createApplication(
                accountId: accountId, settings: settings, now: Date().storagePrecision
            )
            return try WireCoding.response(application, status: .created)
        }
        routes.on(.get, "/v1/applications") { request, context in
            let page = try await store.applications(
                accountId: context.managementCaller().accountId, page: request.pageRequest()
            )
            return try WireCoding.response(Listing(totalResultSize: page.totalCount, data: page.items))
        }
        routes.on(.get, "/v1/applications/:applicationId") { _, context in
            let application = try await store.application(
                id: context.id("applicationId"), accountId: context.managementCaller().accountId
            )
            return try WireCoding.response(application)
        }
        routes.on(.put, "/v1/applications/:applicationId") { request, context in
            let settings = try await decodeSettings(request)
            let application = try await store.updateApplication(
                id: context.id("applicationId"), accountId: context.managementCaller().accountId,
                settings: settings, now: Date().storagePrecision
            )
            return try WireCoding.response(application)
        }
        routes.on(.delete, "/v1/applications/:applicationId") { _, context in
            try await store.deleteApplication(
                id: context.id("applicationId"), accountId: context.managementCaller().accountId
            )
            return Response(status: .noContent)
        }
    }

    private func decodeSettings(_ request: Request) async throws -> ApplicationSettings {
        let settings = try await request.decodeJSON(ApplicationSettings.self, limit: configuration.maxBodySize)
        let issues = settings.validate()
        if !issues.isEmpty { throw ValidationFailure(issues) }
        return settings
    }
}
