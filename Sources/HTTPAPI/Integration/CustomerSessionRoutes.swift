import Foundation
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `/v2/customer_sessions/{customerSessionId}`: the hot path. Decode, hand to the session service, encode.
struct CustomerSessionRoutes {
    let store: any Store
    let sessions: CustomerSessionService
    let configuration: APIConfiguration

    func register(on routes: RouteRegistrar) {
        routes.on(.put, "/v2/customer_sessions/:customerSessionId") { request, context in
            let key = try context.integrationKey()
            let sessionId = try sessionId(context)
            let body = try await request.decodeJSON(IntegrationRequest.self, limit: configuration.maxBodySize)
            let dry = try bool(request.uri.queryParameters.get("dry"), name: "dry", default: false) || key.isStaging
            let application = try await store.application(id: key.applicationId, accountId: key.accountId)
            let result = try await busyAs409 {
                try await sessions.update(
                    application: application, sessionId: sessionId, update: body.customerSession, dry: dry,
                    now: clock(key)
                )
            }
            let content = Set(body.responseContent ?? [])
            var state = IntegrationStateBody(effects: result.effects)
            if content.contains(.customerSession) { state.customerSession = CustomerSessionBody(result.session) }
            if content.contains(.customerProfile) { state.customerProfile = result.profile.map(CustomerProfileBody.init) }
            if content.contains(.event) { state.event = EventBody(result.event) }
            if content.contains(.triggeredCampaigns) { state.triggeredCampaigns = [] }
            if content.contains(.coupons) { state.coupons = [] }
            if content.contains(.ruleFailureReasons) { state.ruleFailureReasons = [] }
            return try WireCoding.response(state)
        }
        routes.on(.put, "/v2/customer_sessions/:customerSessionId/reopen") { _, context in
            let key = try context.integrationKey()
            let application = try await store.application(id: key.applicationId, accountId: key.accountId)
            let result = try await busyAs409 {
                try await sessions.reopen(application: application, sessionId: sessionId(context), now: clock(key))
            }
            return try WireCoding.response(ReopenResponse(effects: result.effects))
        }
        routes.on(.post, "/v2/customer_sessions/:customerSessionId/returns") { request, context in
            let key = try context.integrationKey()
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

    private func sessionId(_ context: SContoRequestContext) throws -> String {
        guard let id = context.parameters.get("customerSessionId")?.removingPercentEncoding, !id.isEmpty,
              id.count <= 1000
        else { throw APIError.badParameter("customerSessionId", "must be 1 to 1000 characters") }
        return id
    }
}
