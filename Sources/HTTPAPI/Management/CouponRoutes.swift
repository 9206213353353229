import Foundation
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `/v1/applications/{applicationId}/campaigns/{campaignId}/coupons…`: create (exact code or generated,
/// synchronously or as a background job), list, change and delete, one by one or by filter.
struct CouponRoutes {
    let store: any Store
    let jobs: CouponJobs
    let configuration: APIConfiguration
    /// Talon.One's limit for one synchronous request; larger batches go through `coupons_async`.
    static let maximumPerRequest = 20_000
    static let maximumPerJob = 5_000_000

    struct NewCoupons: Decodable {
        var numberOfCoupons: Int
        var couponPattern: String?
        var validCharacters: [String]?
        var uniquePrefix: String?
        var usageLimit: Int?
        var discountLimit: Decimal?
        var reservationLimit: Int?
        var startDate: Date?
        var expiryDate: Date?
        var recipientIntegrationId: String?
        var attributes: [String: JSONValue]?
        var limits: [LimitConfig]?
        var isReservationMandatory: Bool?
        var implicitlyReserved: Bool?
    }

    struct NewCouponsForMultipleRecipients: Decodable {
        var usageLimit: Int
        var discountLimit: Decimal?
        var reservationLimit: Int?
        var startDate: Date?
        var expiryDate: Date?
        var attributes: [String: JSONValue]?
        var recipientsIntegrationIds: [String]
        var validCharacters: [String]?
        var couponPattern: String?
    }

    struct BatchId: Encodable, Sendable { var batchId: String }

    func register(on routes: RouteRegistrar) {
        let coupons = "/v1/applications/:applicationId/campaigns/:campaignId/coupons"
        routes.on(.post, coupons) { request, context in
            let (application, campaign) = try await target(context)
            let couponRequest = try await decodeRequest(
                request, application: application, campaign: campaign, maximum: Self.maximumPerRequest
            )
            let created = try await CouponGeneration(store: store).generate(couponRequest, application: application)
            try checkComplete(created, of: couponRequest)
            return try answer(created, request)
        }
        routes.on(.post, "/v1/applications/:applicationId/campaigns/:campaignId/coupons_with_recipients") { request, context in
            let (application, campaign) = try await target(context)
            let couponRequest = try await decodeRecipientsRequest(request, application: application, campaign: campaign)
            let created = try await CouponGeneration(store: store).generate(couponRequest, application: application)
            try checkComplete(created, of: couponRequest)
            return try answer(created, request)
        }
        routes.on(.post, "/v1/applications/:applicationId/campaigns/:campaignId/coupons_async") { request, context in
            let (application, campaign) = try await target(context)
            let couponRequest = try await decodeRequest(
                request, application: application, campaign: campaign, maximum: Self.maximumPerJob
            )
            try await jobs.start(couponRequest, application: application, batchId: couponRequest.template.batchId ?? "")
            return try WireCoding.response(BatchId(batchId: couponRequest.template.batchId ?? ""))
        }
        routes.on(.get, "/v1/applications/:applicationId/campaigns/:campaignId/coupons_async/:batchId") { _, context in
            let (application, campaign) = try await target(context)
            let batchId = try context.parameters.require("batchId")
            if let progress = try await jobs.progress(batchId, applicationId: application.id, campaignId: campaign.id) {
                return try WireCoding.response(progress)
            }
            // Started on another node (or before a restart): what the database holds is the progress.
            var filter = CouponFilter(campaignId: campaign.id)
            filter.batchId = batchId
            let count = try await store.countCoupons(applicationId: application.id, filter: filter)
            guard count > 0 else { throw APIError.notFound("coupon batch") }
            return try WireCoding.response(CouponJobs.Progress(batchId: batchId, requested: count, created: count, done: true))
        }
        routes.on(.get, coupons + "/no_total") { request, context in
            let (application, campaign) = try await target(context)
            let (found, hasMore) = try await store.coupons(
                applicationId: application.id, filter: try filter(request, campaignId: campaign.id),
                page: request.pageRequest()
            )
            return try WireCoding.response(ListingWithoutTotal(hasMore: hasMore, data: found.map { CouponBody($0) }))
        }
        routes.on(.put, coupons + "/:couponId") { request, context in
            let (application, campaign) = try await target(context)
            let update = try await decodeUpdate(request)
            let id = try context.id("couponId")
            _ = try await store.updateCoupons(applicationId: application.id, filter: CouponFilter(campaignId: campaign.id),
                                              couponId: id, changes: update.changes)
            let coupon = try await store.coupon(id: id, applicationId: application.id,
                                                filter: CouponFilter(campaignId: campaign.id))
            return try WireCoding.response(CouponBody(coupon))
        }
        routes.on(.put, coupons) { request, context in
            let (application, campaign) = try await target(context)
            let update = try await decodeUpdate(request)
            var filter = try self.filter(request, campaignId: campaign.id)
            if let batchId = update.batchId { filter.batchId = batchId }
            _ = try await store.updateCoupons(applicationId: application.id, filter: filter, couponId: nil,
                                              changes: update.changes)
            return Response(status: .noContent)
        }
        routes.on(.delete, coupons + "/:couponId") { _, context in
            let (application, campaign) = try await target(context)
            _ = try await store.deleteCoupons(applicationId: application.id, filter: CouponFilter(campaignId: campaign.id),
                                              couponId: context.id("couponId"))
            return Response(status: .noContent)
        }
        routes.on(.delete, coupons) { request, context in
            let (application, campaign) = try await target(context)
            _ = try await store.deleteCoupons(applicationId: application.id,
                                              filter: try filter(request, campaignId: campaign.id), couponId: nil)
            return Response(status: .noContent)
        }
        CouponFileRoutes(store: store, configuration: configuration, target: target).register(on: routes)
    }

    private func decodeRequest(_ request: Request, application: PromotionEngine.Application, campaign: Campaign, maximum: Int)
        async throws -> CouponRequest
    {
        let body = try await request.decodeJSON(NewCoupons.self, limit: configuration.maxBodySize)
        return try validated(body, application: application, campaign: campaign, maximum: maximum)
    }

    /// `NewCouponsForMultipleRecipients`: one generated code per recipient, bound to it.
    private func decodeRecipientsRequest(_ request: Request, application: PromotionEngine.Application, campaign: Campaign)
        async throws -> CouponRequest
    {
        let body = try await request.decodeJSON(NewCouponsForMultipleRecipients.self, limit: configuration.maxBodySize)
        var recipients: [String] = []
        var seen = Set<String>()
        var issues: [ValidationIssue] = []
        if !(1...1000).contains(body.recipientsIntegrationIds.count) {
            issues.append(.init(pointer: "/recipientsIntegrationIds", message: "must name 1 to 1000 recipients"))
        }
        for (index, recipient) in body.recipientsIntegrationIds.enumerated() {
            if recipient.isEmpty || recipient.count > 1000 || Identifier.hasControlCharacters(recipient) {
                issues.append(.init(pointer: "/recipientsIntegrationIds/\(index)",
                                    message: "must be 1 to 1000 characters, no control characters"))
            } else if seen.insert(recipient).inserted {
                recipients.append(recipient)
            }
        }
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        let coupons = NewCoupons(
            numberOfCoupons: recipients.count, couponPattern: body.couponPattern, validCharacters: body.validCharacters,
            usageLimit: body.usageLimit, discountLimit: body.discountLimit, reservationLimit: body.reservationLimit,
            startDate: body.startDate, expiryDate: body.expiryDate, attributes: body.attributes
        )
        var couponRequest = try validated(coupons, application: application, campaign: campaign,
                                          maximum: Self.maximumPerRequest)
        couponRequest.recipients = recipients
        return couponRequest
    }

    private func validated(_ body: NewCoupons, application: PromotionEngine.Application, campaign: Campaign, maximum: Int)
        throws -> CouponRequest
    {
        let pattern = CouponPattern(
            pattern: (body.uniquePrefix ?? "") + (body.couponPattern ?? "########"),
            validCharacters: body.validCharacters.map { $0.compactMap(\.first) }
        )
        var issues = pattern.check(numberOfCoupons: body.numberOfCoupons, normalize: application.normalizedCouponCode)
        if body.numberOfCoupons > maximum {
            issues.append(.init(pointer: "/numberOfCoupons", message: "must be at most \(maximum) per request"))
        }
        if pattern.pattern.count < 4 {
            issues.append(.init(pointer: "/couponPattern", message: "codes must be at least 4 characters"))
        }
        if let limit = body.usageLimit, !(0...999_999).contains(limit) {
            issues.append(.init(pointer: "/usageLimit", message: "must be 0 (unlimited) to 999999"))
        }
        if let limit = body.discountLimit, limit < 0 {
            issues.append(.init(pointer: "/discountLimit", message: "must not be negative"))
        }
        if let start = body.startDate, let expiry = body.expiryDate, expiry <= start {
            issues.append(.init(pointer: "/expiryDate", message: "must be after startDate"))
        }
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        var template = Coupon(id: 0, campaignId: campaign.id, value: "", usageLimit: body.usageLimit ?? 0,
                              created: Date().storagePrecision)
        template.discountLimit = body.discountLimit
        template.reservationLimit = body.reservationLimit
        template.startDate = body.startDate
        template.expiryDate = body.expiryDate
        template.recipientIntegrationId = body.recipientIntegrationId
        template.attributes = body.attributes
        template.limits = body.limits
        template.isReservationMandatory = body.isReservationMandatory ?? false
        template.implicitlyReserved = body.implicitlyReserved ?? false
        template.batchId = UUID().uuidString.lowercased()
        return CouponRequest(numberOfCoupons: body.numberOfCoupons, pattern: pattern, template: template)
    }

    /// The created coupons with `silent=no`, else 204 (Talon.One's default, `silent=yes`).
    private func answer(_ created: [Coupon], _ request: Request) throws -> Response {
        guard request.uri.queryParameters.get("silent") == "no" else { return Response(status: .noContent) }
        return try WireCoding.response(Listing(totalResultSize: created.count, data: created.map { CouponBody($0) }))
    }

    private func checkComplete(_ created: [Coupon], of request: CouponRequest) throws {
        if created.isEmpty && request.pattern.placeholderCount == 0 {
            throw APIError(.conflict, "coupon code '\(request.pattern.pattern)' exists in this application already")
        }
        guard created.count == request.numberOfCoupons else {
            throw APIError(.conflict, "only \(created.count) free codes were found for the pattern; add # placeholders")
        }
    }

    private struct BatchUpdate: Decodable {
        var batchId: String?
        var usageLimit: Int?
        var discountLimit: Decimal?
        var startDate: Date?
        var expiryDate: Date?
        var recipientIntegrationId: String?
        var attributes: [String: JSONValue]?
        var isReservationMandatory: Bool?
        var implicitlyReserved: Bool?

        var changes: CouponChanges {
            var changes = CouponChanges()
            changes.usageLimit = usageLimit
            changes.discountLimit = discountLimit
            changes.startDate = startDate
            changes.expiryDate = expiryDate
            changes.recipientIntegrationId = recipientIntegrationId
            changes.attributes = attributes
            changes.isReservationMandatory = isReservationMandatory
            changes.implicitlyReserved = implicitlyReserved
            return changes
        }
    }

    private func decodeUpdate(_ request: Request) async throws -> BatchUpdate {
        let update = try await request.decodeJSON(BatchUpdate.self, limit: configuration.maxBodySize)
        let issues = update.changes.validate()
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return update
    }

    /// The listing and batch filters from the query string.
    func filter(_ request: Request, campaignId: Int64?) throws -> CouponFilter {
        let query = request.uri.queryParameters
        var filter = CouponFilter(campaignId: campaignId)
        filter.value = query.get("value")
        filter.exactMatch = try bool(query.get("exactMatch"), name: "exactMatch", default: false)
        filter.batchId = query.get("batchId")
        filter.recipientIntegrationId = query.get("recipientIntegrationId")
        filter.createdBefore = try request.dateParameter("createdBefore")
        filter.createdAfter = try request.dateParameter("createdAfter")
        if let usable = query.get("usable") {
            guard ["true", "false"].contains(usable) else { throw APIError.badParameter("usable", "must be true or false") }
            filter.usable = usable == "true"
        }
        return filter
    }

    func target(_ context: SContoRequestContext) async throws -> (PromotionEngine.Application, Campaign) {
        let application = try await store.application(
            id: context.id("applicationId"), accountId: context.managementCaller().accountId
        )
        return (application, try await store.campaign(id: context.id("campaignId"), applicationId: application.id))
    }
}
