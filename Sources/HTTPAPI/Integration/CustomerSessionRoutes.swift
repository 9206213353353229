import Foundation
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `/v2/customer_sessions/{customerSessionId}`: the hot path. Decode, hand to the session service, encode.
struct CustomerSessionRoutes {
    let store: any Store
    let applications: FreshCache<Int64, PromotionEngine.Application>
    let sessions: CustomerSessionService
    let configuration: APIConfiguration

    func register(on routes: RouteRegistrar) {
        routes.on(.put, "/v2/customer_sessions/:customerSessionId") { request, context in
            let key = try context.integrationKey()
            let sessionId = try sessionId(context)
            let body = try await request.decodeJSON(IntegrationRequest.self, limit: configuration.maxBodySize)
            try Identifier.field(body.customerSession.profileId, pointer: "/customerSession/profileId")
            let dry = try bool(request.uri.queryParameters.get("dry"), name: "dry", default: false) || key.isStaging
            let application = try await cachedApplication(key)
            let result = try await busyAs409 {
                try await sessions.update(
                    application: application, sessionId: sessionId, update: body.customerSession, dry: dry,
                    now: clock(key)
                )
            }
            let content = Set(body.responseContent ?? [])
            var state = IntegrationStateBody(effects: result.effects)
            state.createdCoupons = result.createdCoupons.map { CouponBody($0) }
            if content.contains(.customerSession) { state.customerSession = CustomerSessionBody(result.session) }
            if content.contains(.customerProfile) { state.customerProfile = result.profile.map(CustomerProfileBody.init) }
            if content.contains(.event) { state.event = EventBody(result.event) }
            if content.contains(.triggeredCampaigns) {
                state.triggeredCampaigns = try await campaignBodies(result.triggeredCampaignIds, application.id)
            }
            if content.contains(.coupons) {
                var counts: [Int64: Int] = [:]
                if let profileId = result.session.profileId {
                    counts = try await store.profileRedemptions(
                        applicationId: application.id, profileId: profileId, couponIds: result.coupons.map(\.id)
                    )
                }
                state.coupons = result.coupons.map { CouponBody($0, profileRedemptionCount: counts[$0.id] ?? 0) }
            }
            if content.contains(.ruleFailureReasons) { state.ruleFailureReasons = [] }
            return try WireCoding.response(state)
        }
        routes.on(.put, "/v2/customer_sessions/:customerSessionId/reopen") { _, context in
            let key = try context.integrationKey()
            try refuseStaging(key, "reopen a session")
            let application = try await store.application(id: key.applicationId, accountId: key.accountId)
            let result = try await busyAs409 {
                try await sessions.reopen(application: application, sessionId: sessionId(context), now: clock(key))
            }
            return try WireCoding.response(ReopenResponse(effects: result.effects))
        }
        routes.on(.post, "/v2/customer_sessions/:customerSessionId/returns") { request, context in
            let key = try context.integrationKey()
            try refuseStaging(key, "return cart items")
            let body = try await request.decodeJSON(ReturnRequest.self, limit: configuration.maxBodySize)
            let application = try await store.application(id: key.applicationId, accountId: key.accountId)
            var items: [(position: Int, quantity: Int)] = []
            for (index, item) in body.return.returnedCartItems.enumerated() {
                guard let position = item.position else {
                    throw APIError.badRequest(pointer: "/return/returnedCartItems/\(index)/position", "is required")
                }
                items.append((position, item.quantity ?? 1))
            }
            let result = try await busyAs409 {
                try await sessions.returnItems(
                    application: application, sessionId: sessionId(context), items: items, now: clock(key)
                )
            }
            var state = IntegrationStateBody(effects: result.effects)
            state.customerSession = CustomerSessionBody(result.session)
            state.customerProfile = result.profile.map(CustomerProfileBody.init)
            return try WireCoding.response(state)
        }
        routes.on(.get, "/v1/integration/campaigns") { request, context in
            let key = try context.integrationKey()
            let now = clock(key)
            let query = request.uri.queryParameters
            let wanted = Set(query.get("campaignIds").map { $0.split(separator: ",").compactMap { Int64($0) } } ?? [])
            var filter = CampaignFilter()
            filter.state = .enabled
            let page = try request.pageRequest()
            let all = try await store.campaigns(
                applicationId: key.applicationId, filter: filter, page: PageRequest(pageSize: 1000, skip: 0)
            )
            let running = all.items.filter { campaign in
                campaign.frontendState(at: now) == "running" && (wanted.isEmpty || wanted.contains(campaign.id))
            }
            let slice = running.dropFirst(page.skip).prefix(page.pageSize)
            return try WireCoding.response(ListingWithoutTotal(
                hasMore: running.count > page.skip + slice.count, data: slice.map { CampaignBody($0, now: now) }
            ))
        }
        routes.on(.get, "/v2/customer_sessions/:customerSessionId") { _, context in
            let key = try context.integrationKey()
            guard let (session, effects) = try await store.session(
                applicationId: key.applicationId, sessionId: sessionId(context)
            ) else { throw APIError.notFound("customer session") }
            return try WireCoding.response(SessionResponse(customerSession: CustomerSessionBody(session), effects: effects))
        }
    }

    struct ReopenResponse: Encodable, Sendable {
        var effects: [Effect]
    }

    struct ReturnRequest: Decodable {
        struct NewReturn: Decodable {
            var returnedCartItems: [ReturnedItem]
        }

        struct ReturnedItem: Decodable {
            var position: Int?
            var quantity: Int?
        }

        var `return`: NewReturn
    }

    /// `IntegrationCustomerSessionResponse` plus the effects of the last evaluation.
    struct SessionResponse: Encodable, Sendable {
        var customerSession: CustomerSessionBody
        var effects: [Effect]
    }

    private func cachedApplication(_ key: IntegrationKey) async throws -> PromotionEngine.Application {
        guard let application = try await applications.value(for: key.applicationId, load: {
            try await store.application(id: key.applicationId, accountId: key.accountId)
        }) else { throw APIError.notFound("application") }
        return application
    }

    /// The campaigns that triggered, read only when the client asked for them.
    private func campaignBodies(_ ids: [Int64], _ applicationId: Int64) async throws -> [CampaignBody] {
        var bodies: [CampaignBody] = []
        for id in ids {
            if let campaign = try? await store.campaign(id: id, applicationId: applicationId) {
                bodies.append(CampaignBody(campaign))
            }
        }
        return bodies
    }

    private func sessionId(_ context: SContoRequestContext) throws -> String {
        try Identifier.parameter(
            context.parameters.get("customerSessionId")?.removingPercentEncoding, name: "customerSessionId"
        )
    }
}
