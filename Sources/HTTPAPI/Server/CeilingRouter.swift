import Foundation
import Hummingbird
import PromotionEngine

extension SContoAPI {
    /// The framework's ceiling for `sconto bench`: the same routes' JSON work (decode an
    /// `IntegrationRequest`, encode an `IntegrationStateV2` with the session) without storage or rules.
    public static func makeCeilingRouter() -> Router<SContoRequestContext> {
        let router = Router(context: SContoRequestContext.self)
        router.put("/v2/customer_sessions/:customerSessionId") { request, context in
            let body = try await request.decodeJSON(IntegrationRequest.self, limit: 1 << 20)
            let id = context.parameters.get("customerSessionId") ?? ""
            let now = Date()
            let session = body.customerSession.applied(
                to: CustomerSession(integrationId: id, applicationId: 1, created: now, updated: now), now: now
            )
            var state = IntegrationStateBody(effects: [])
            state.customerSession = CustomerSessionBody(session)
            return try WireCoding.response(state)
        }
        router.put("/v2/customer_profiles/:integrationId") { request, _ in
            _ = try await request.decodeJSON([String: JSONValue].self, limit: 1 << 20)
            return try WireCoding.response(IntegrationStateBody(effects: []))
        }
        return router
    }
}
