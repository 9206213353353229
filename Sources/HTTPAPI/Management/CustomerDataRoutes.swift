import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// The Management API's read side of customer data: sessions, customers and events of an application.
struct CustomerDataRoutes {
    let store: any Store

    /// `ApplicationSession`.
    struct SessionBody: Encodable, Sendable {
        var id: Int64
        var created: Date
        var integrationId: String
        var storeIntegrationId: String?
        var applicationId: Int64
        var profileId: Int64?
        var profileintegrationid: String?
        var coupon: String
        var referral: String
        var state: SessionState
        var cartItems: [CartItem]
        var discounts: [String: Decimal]
        var totalDiscounts: Decimal
        var total: Decimal
        var attributes: [String: JSONValue]

        init(_ stored: StoredSession) {
            let session = stored.session
            id = session.id
            created = session.created
            integrationId = session.integrationId
            storeIntegrationId = session.storeIntegrationId
            applicationId = session.applicationId
            profileId = stored.profileInternalId
            profileintegrationid = session.profileId
            coupon = session.couponCodes.joined(separator: ",")
            referral = session.referralCode ?? ""
            state = session.state
            cartItems = session.cartItems
            discounts = stored.effects.reduce(into: [:]) { sums, effect in
                guard let value = effect.discountValue, let name = effect.kind.discountName else { return }
                sums[name, default: 0] += value
            }
            totalDiscounts = discounts.values.reduce(0, +)
            total = session.total
            attributes = session.attributes
        }
    }

    /// `ApplicationEvent`.
    struct EventBody: Encodable, Sendable {
        var id: Int64
        var created: Date
        var applicationId: Int64
        var type: String
        var attributes: [String: JSONValue]
        var effects: [Effect]
        var sessionIntegrationId: String?
        var profileIntegrationId: String?

        init(_ event: SessionEvent) {
            id = event.id
            created = event.created
            applicationId = event.applicationId
            type = event.type.rawValue
            attributes = event.attributes
            effects = event.effects
            sessionIntegrationId = event.sessionId
            profileIntegrationId = event.profileId
        }
    }

    struct CustomerListing: Encodable, Sendable {
        var totalResultSize: Int
        var hasMore: Bool
        var data: [CustomerProfileBody]
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.get, "/v1/applications/:applicationId/sessions") { request, context in
            let application = try await application(context)
            let page = try await store.sessions(
                applicationId: application.id, filter: try sessionFilter(request), page: request.pageRequest()
            )
            return try WireCoding.response(ListingWithoutTotal(
                hasMore: page.totalCount > (try request.pageRequest().skip) + page.items.count,
                data: page.items.map(SessionBody.init)
            ))
        }
        routes.on(.get, "/v1/applications/:applicationId/sessions/:sessionId") { _, context in
            let application = try await application(context)
            let stored = try await store.storedSession(applicationId: application.id, id: context.id("sessionId"))
            return try WireCoding.response(SessionBody(stored))
        }
        routes.on(.get, "/v1/applications/:applicationId/customers") { request, context in
            let application = try await application(context)
            let page = try request.pageRequest()
            let profiles = try await store.profiles(
                applicationId: application.id, integrationId: request.uri.queryParameters.get("integrationId"),
                page: page
            )
            return try WireCoding.response(CustomerListing(
                totalResultSize: profiles.totalCount, hasMore: profiles.totalCount > page.skip + profiles.items.count,
                data: profiles.items.map(CustomerProfileBody.init)
            ))
        }
        routes.on(.get, "/v1/applications/:applicationId/customers/:customerId") { _, context in
            let application = try await application(context)
            let profile = try await store.profile(applicationId: application.id, id: context.id("customerId"))
            return try WireCoding.response(CustomerProfileBody(profile))
        }
        routes.on(.get, "/v1/applications/:applicationId/events/no_total") { request, context in
            let application = try await application(context)
            let query = request.uri.queryParameters
            var filter = EventFilter()
            filter.type = query.get("type")
            filter.createdBefore = try request.dateParameter("createdBefore")
            filter.createdAfter = try request.dateParameter("createdAfter")
            filter.sessionId = query.get("session")
            filter.profileId = query.get("profile")
            filter.effectType = query.get("effectType")
            let (events, hasMore) = try await store.events(
                applicationId: application.id, filter: filter, page: request.pageRequest()
            )
            return try WireCoding.response(ListingWithoutTotal(hasMore: hasMore, data: events.map(EventBody.init)))
        }
    }

    private func application(_ context: SContoRequestContext) async throws -> PromotionEngine.Application {
        try await store.application(id: context.id("applicationId"), accountId: context.managementCaller().accountId)
    }

    private func sessionFilter(_ request: Request) throws -> SessionFilter {
        let query = request.uri.queryParameters
        var filter = SessionFilter()
        filter.profileId = query.get("profile")
        if let state = query.get("state") {
            guard let value = SessionState(rawValue: state) else {
                throw APIError.badParameter("state", "must be one of open, closed, cancelled, partially_returned")
            }
            filter.state = value
        }
        filter.createdBefore = try request.dateParameter("createdBefore")
        filter.createdAfter = try request.dateParameter("createdAfter")
        filter.coupon = query.get("coupon")
        filter.integrationId = query.get("integrationId")
        filter.partialMatch = try bool(query.get("partialMatch"), name: "partialMatch", default: false)
        return filter
    }
}
