import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// `/v1/applications/{applicationId}/campaigns/{campaignId}/coupons`: create (exact code or generated
/// from a pattern), list, delete.
struct CouponRoutes {
    let store: any Store
    let configuration: APIConfiguration
    /// Talon.One's limit for one synchronous request.
    static let maximumPerRequest = 20_000

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
    }

    func register(on routes: RouteRegistrar) {
        let coupons = "/v1/applications/:applicationId/campaigns/:campaignId/coupons"
        routes.on(.post, coupons) { request, context in
            let (application, campaign) = try await target(context)
            let body = try await request.decodeJSON(NewCoupons.self, limit: configuration.maxBodySize)
            let created = try await create(body, application: application, campaign: campaign)
            if request.uri.queryParameters.get("silent") == "no" {
                return try WireCoding.response(Listing(totalResultSize: created.count, data: created.map { CouponBody($0) }))
            }
            return Response(status: .noContent)
        }
        routes.on(.get, coupons + "/no_total") { request, context in
            let (application, campaign) = try await target(context)
            let (found, hasMore) = try await store.coupons(
                campaignId: campaign.id, applicationId: application.id, value: request.uri.queryParameters.get("value"),
                page: request.pageRequest()
            )
            return try WireCoding.response(ListingWithoutTotal(hasMore: hasMore, data: found.map { CouponBody($0) }))
        }
        routes.on(.delete, coupons + "/:couponId") { _, context in
            let (application, campaign) = try await target(context)
            try await store.deleteCoupon(id: context.id("couponId"), campaignId: campaign.id, applicationId: application.id)
            return Response(status: .noContent)
        }
    }

    private func create(_ body: NewCoupons, application: PromotionEngine.Application, campaign: Campaign) async throws
        -> [Coupon]
    {
        let pattern = CouponPattern(
            pattern: (body.uniquePrefix ?? "") + (body.couponPattern ?? "########"),
            validCharacters: body.validCharacters.map { $0.compactMap(\.first) }
        )
        var issues = pattern.check(numberOfCoupons: body.numberOfCoupons)
        if body.numberOfCoupons > Self.maximumPerRequest {
            issues.append(.init(pointer: "/numberOfCoupons", message: "must be at most \(Self.maximumPerRequest) per request"))
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

        let now = Date().storagePrecision
        let batchId = UUID().uuidString.lowercased()
        var generator = SystemRandomNumberGenerator()
        var created: [Coupon] = []
        // Generate, insert what is free, retry for the codes that collided: never a duplicate.
        for _ in 0..<20 where created.count < body.numberOfCoupons {
            var candidates: [String: Coupon] = [:]
            while candidates.count < body.numberOfCoupons - created.count {
                let value = pattern.placeholderCount == 0 ? pattern.pattern : pattern.generate(using: &generator)
                var coupon = Coupon(id: 0, campaignId: campaign.id, value: value, usageLimit: body.usageLimit ?? 0,
                                    created: now)
                coupon.discountLimit = body.discountLimit
                coupon.reservationLimit = body.reservationLimit
                coupon.startDate = body.startDate
                coupon.expiryDate = body.expiryDate
                coupon.recipientIntegrationId = body.recipientIntegrationId
                coupon.attributes = body.attributes
                coupon.limits = body.limits
                coupon.batchId = batchId
                candidates[application.normalizedCouponCode(value)] = coupon
            }
            let ordered = Array(candidates)
            created += try await store.insertCoupons(
                ordered.map(\.value), applicationId: application.id, normalizedValues: ordered.map(\.key)
            )
            if pattern.placeholderCount == 0 { break }
        }
        if created.isEmpty && pattern.placeholderCount == 0 {
            throw APIError(.conflict, "coupon code '\(pattern.pattern)' exists in this application already")
        }
        guard created.count == body.numberOfCoupons else {
            throw APIError(.conflict, "could only find \(created.count) free codes for the pattern; add # placeholders")
        }
        return created
    }

    private func target(_ context: SContoRequestContext) async throws -> (PromotionEngine.Application, Campaign) {
        let application = try await store.application(
            id: context.id("applicationId"), accountId: context.managementCaller().accountId
        )
        return (application, try await store.campaign(id: context.id("campaignId"), applicationId: application.id))
    }
}
