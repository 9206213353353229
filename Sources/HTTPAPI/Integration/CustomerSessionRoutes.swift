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
            let now = try evaluationTime(request, dry: dry, key: key)
            let application = try await cachedApplication(key)
            let content = Set(body.responseContent ?? [])
            let result = try await busyAs409 {
                try await sessions.update(
                    application: application, sessionId: sessionId, update: body.customerSession, dry: dry,
                    explainingRuleFailures: content.contains(.ruleFailureReasons) || content.contains(.campaignEligibility),
                    answering: AnswerContent(content), now: now
                )
            }
            // What the answer shows of stored state came with the commit (or the dry run's snapshot): no read here.
            let answer = result.answer
            var state = IntegrationStateBody(effects: result.effects)
            state.createdCoupons = result.createdCoupons.map { CouponBody($0) }
            state.createdReferrals = result.createdReferrals.map(ReferralBody.init)
            if content.contains(.customerSession) { state.customerSession = CustomerSessionBody(result.session) }
            if content.contains(.customerProfile), let profile = result.profile {
                state.customerProfile = answer.profileBody(profile)
            }
            if content.contains(.event) { state.event = EventBody(result.event) }
            if content.contains(.triggeredCampaigns) {
                state.triggeredCampaigns = answer.triggeredCampaignBodies(result.triggeredCampaignIds)
            }
            if content.contains(.coupons) {
                state.coupons = answer.coupons.map {
                    CouponBody($0, profileRedemptionCount: answer.profileCouponRedemptions[$0.id] ?? 0)
                }
            }
            if content.contains(.referral), let referral = answer.referral {
                state.referral = InventoryReferralBody(
                    referral: ReferralBody(referral), referredCustomers: answer.referredFriends.map(\.friendProfileIntegrationId)
                )
            }
            if content.contains(.awardedGiveaways) { state.awardedGiveaways = result.awardedGiveaways.map(GiveawayBody.init) }
            if content.contains(.ruleFailureReasons) { state.ruleFailureReasons = result.ruleFailures.map(RuleFailureBody.init) }
            if content.contains(.previousReturns) {
                state.previousReturns = answer.returns.map {
                    ReturnBody($0, session: result.session, accountId: application.accountId, profile: result.profile)
                }
            }
            if content.contains(.campaignEligibility) {
                state.campaignEligibility = CampaignEligibilityBody.list(result.eligibility, campaigns: answer.campaigns)
            }
            // The effects as the commit wrote them: one serialisation for the store and the answer.
            return try WireCoding.response(state, effectsText: result.effectsText)
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
            let items = body.return.returnedCartItems.map {
                ReturnedCartItem(position: $0.position, sku: $0.sku, quantity: $0.quantity)
            }
            let query = request.uri.queryParameters
            let dry = try bool(query.get("dry"), name: "dry", default: false) || key.isStaging
            // Sconto has no campaign setting `reevaluateOnReturn`, so no campaign qualifies for re-evaluation:
            // the parameter is checked and the returned items' effects are rolled back either way.
            _ = try bool(query.get("runRuleEngine"), name: "runRuleEngine", default: false)
            let result = try await busyAs409 {
                try await sessions.returnItems(
                    application: application, sessionId: sessionId(context), items: items, dry: dry, now: clock(key)
                )
            }
            var state = IntegrationStateBody(effects: result.effects)
            state.customerSession = CustomerSessionBody(result.session)
            state.customerProfile = result.profile.map(CustomerProfileBody.init)
            state.return = ReturnBody(result.event, session: result.session, accountId: application.accountId,
                                      profile: result.profile)
            return try WireCoding.response(state)
        }
        routes.on(.get, "/v1/integration/campaigns") { request, context in
            let key = try context.integrationKey()
            let now = clock(key)
            let query = request.uri.queryParameters
            let wanted = Set(query.get("campaignIds").map { $0.split(separator: ",").compactMap { Int64($0) } } ?? [])
            let window = try CampaignTimeWindow(request)
            var filter = CampaignFilter()
            filter.state = .enabled
            let page = try request.pageRequest()
            // Every enabled campaign of the application, page by page (not only the first page of them).
            let all = try await allPages { page in
                let found = try await store.campaigns(applicationId: key.applicationId, filter: filter, page: page)
                return (items: found.items, hasMore: found.hasMore)
            }
            let running = all.filter { campaign in
                campaign.frontendState(at: now) == "running" && (wanted.isEmpty || wanted.contains(campaign.id))
                    && window.contains(campaign)
            }
            let slice = running.dropFirst(page.skip).prefix(page.pageSize)
            var data: [CampaignBody] = []
            for campaign in slice {
                var body = CampaignBody(campaign, now: now)
                var rules: [RuleDefinition] = []
                if let rulesetId = campaign.activeRulesetId {
                    rules = try await store.ruleset(id: rulesetId, campaignId: campaign.id, applicationId: key.applicationId)
                        .rules
                }
                body.rules = rules.map { CampaignBody.Rule(title: $0.title, displayDescription: $0.description) }
                data.append(body)
            }
            return try WireCoding.response(ListingWithoutTotal(hasMore: running.count > page.skip + slice.count, data: data))
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
            var sku: String?
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

    /// `now`: evaluate as at a future time (scheduled campaigns, period budgets); the spec allows it only on
    /// dry runs, so it is never stored as the time of anything.
    private func evaluationTime(_ request: Request, dry: Bool, key: IntegrationKey) throws -> Date {
        let wallClock = clock(key)
        guard let requested = try request.dateParameter("now") else { return wallClock }
        guard dry else { throw APIError.badParameter("now", "can only be used with dry=true") }
        guard requested >= wallClock.addingTimeInterval(-1) else {
            throw APIError.badParameter("now", "must be a time in the future")
        }
        return requested
    }

    private func sessionId(_ context: SContoRequestContext) throws -> String {
        try Identifier.parameter(
            context.parameters.get("customerSessionId")?.removingPercentEncoding, name: "customerSessionId"
        )
    }
}

/// `startAfter`, `startBefore`, `endAfter`, `endBefore` of `integrationGetAllCampaigns`: a campaign without a
/// start (or end) time passes no bound on it.
struct CampaignTimeWindow {
    var startAfter, startBefore, endAfter, endBefore: Date?

    init(_ request: Request) throws {
        startAfter = try request.dateParameter("startAfter")
        startBefore = try request.dateParameter("startBefore")
        endAfter = try request.dateParameter("endAfter")
        endBefore = try request.dateParameter("endBefore")
    }

    func contains(_ campaign: Campaign) -> Bool {
        func within(_ time: Date?, after: Date?, before: Date?) -> Bool {
            if after == nil && before == nil { return true }
            guard let time else { return false }
            return (after.map { time >= $0 } ?? true) && (before.map { time <= $0 } ?? true)
        }
        return within(campaign.settings.startTime, after: startAfter, before: startBefore)
            && within(campaign.settings.endTime, after: endAfter, before: endBefore)
    }
}
