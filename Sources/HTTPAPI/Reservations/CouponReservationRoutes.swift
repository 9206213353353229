import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// `/v1/coupon_reservations/…` (Integration API): set a coupon code aside for customers, take it back, and list
/// the profiles holding it. A code that needs a reservation (`isReservationMandatory`) is redeemable only by them.
struct CouponReservationRoutes {
    let store: any Store
    let configuration: APIConfiguration
    /// The spec's `maxItems` of `integrationIDs`.
    static let maximumCustomers = 1000
    /// `getReservedCustomers` has no paging in the spec: it answers at most this many profiles.
    static let maximumListed = 10_000

    struct Customers: Decodable {
        var integrationIDs: [String]
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/coupon_reservations/:couponValue") { request, context in
            let (applicationId, code) = try await coupon(context)
            let customers = try await decodeCustomers(request)
            let coupon = try await store.reserveCoupon(applicationId: applicationId, normalizedValue: code,
                                                       integrationIds: customers, now: Date().storagePrecision)
            return try WireCoding.response(CouponBody(coupon), status: .created)
        }
        routes.on(.delete, "/v1/coupon_reservations/:couponValue") { request, context in
            let (applicationId, code) = try await coupon(context)
            let customers = try await decodeCustomers(request)
            try await store.releaseCoupon(applicationId: applicationId, normalizedValue: code, integrationIds: customers)
            return Response(status: .noContent)
        }
        routes.on(.get, "/v1/coupon_reservations/customerprofiles/:couponValue") { _, context in
            let (applicationId, code) = try await coupon(context)
            let profiles = try await store.reservingProfiles(applicationId: applicationId, normalizedValue: code,
                                                             limit: Self.maximumListed)
            return try WireCoding.response(Listing(totalResultSize: profiles.count, data: profiles.map(CustomerProfileBody.init)))
        }
    }

    /// The key's application and the path's code, normalized as the application compares codes.
    private func coupon(_ context: SContoRequestContext) async throws -> (applicationId: Int64, code: String) {
        let key = try context.integrationKey()
        let value = try Identifier.parameter(context.parameters.get("couponValue"), name: "couponValue")
        let application = try await store.application(id: key.applicationId, accountId: key.accountId)
        return (application.id, application.normalizedCouponCode(value))
    }

    private func decodeCustomers(_ request: Request) async throws -> [String] {
        let body = try await request.decodeJSON(Customers.self, limit: configuration.maxBodySize)
        var issues: [ValidationIssue] = []
        if body.integrationIDs.count > Self.maximumCustomers {
            issues.append(.init(pointer: "/integrationIDs", message: "must name at most \(Self.maximumCustomers) customers"))
        }
        for (index, customer) in body.integrationIDs.enumerated()
        where customer.isEmpty || customer.count > 1000 || Identifier.hasControlCharacters(customer) {
            issues.append(.init(pointer: "/integrationIDs/\(index)", message: "must be 1 to 1000 characters, no control characters"))
        }
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return body.integrationIDs
    }
}
