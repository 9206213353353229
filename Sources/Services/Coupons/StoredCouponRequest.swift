import Foundation
import PromotionEngine

/// A ``CouponRequest`` as a coupon job row keeps it (JSON), so that any node can run the job.
struct StoredCouponRequest: Codable {
    var numberOfCoupons: Int
    var pattern: String
    var validCharacters: String
    var campaignId: Int64
    var usageLimit: Int
    /// Exact decimal text: money never passes through a binary floating-point number.
    var discountLimit: String?
    var reservationLimit: Int?
    var startDate: Date?
    var expiryDate: Date?
    var recipientIntegrationId: String?
    var attributes: [String: JSONValue]?
    var batchId: String?
    var limits: [LimitConfig]?
    /// Absent in jobs stored before reservations existed.
    var isReservationMandatory: Bool?
    var implicitlyReserved: Bool?
    var created: Date

    init(_ request: CouponRequest) {
        let template = request.template
        numberOfCoupons = request.numberOfCoupons
        pattern = request.pattern.pattern
        validCharacters = String(request.pattern.validCharacters)
        campaignId = template.campaignId
        usageLimit = template.usageLimit
        discountLimit = template.discountLimit.map { "\($0)" }
        reservationLimit = template.reservationLimit
        startDate = template.startDate
        expiryDate = template.expiryDate
        recipientIntegrationId = template.recipientIntegrationId
        attributes = template.attributes
        batchId = template.batchId
        limits = template.limits
        isReservationMandatory = template.isReservationMandatory
        implicitlyReserved = template.implicitlyReserved
        created = template.created
    }

    /// The request, asking for `remaining` coupons (a resumed job makes only what is missing).
    func request(remaining: Int) -> CouponRequest {
        var template = Coupon(id: 0, campaignId: campaignId, value: "", usageLimit: usageLimit, created: created)
        template.discountLimit = discountLimit.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
        template.reservationLimit = reservationLimit
        template.startDate = startDate
        template.expiryDate = expiryDate
        template.recipientIntegrationId = recipientIntegrationId
        template.attributes = attributes
        template.batchId = batchId
        template.limits = limits
        template.isReservationMandatory = isReservationMandatory ?? false
        template.implicitlyReserved = implicitlyReserved ?? false
        return CouponRequest(numberOfCoupons: remaining,
                             pattern: CouponPattern(pattern: pattern, validCharacters: Array(validCharacters)),
                             template: template)
    }

    func encoded() throws -> String {
        String(decoding: try Self.encoder.encode(self), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> StoredCouponRequest {
        try Self.decoder.decode(StoredCouponRequest.self, from: Data(text.utf8))
    }

    // Dates as milliseconds since 1970: exact at the precision stores keep, whatever the platform's default.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()
}
