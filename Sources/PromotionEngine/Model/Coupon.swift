import Foundation

// TEMPORARY: the coupons branch brings the full `Coupon` model; this carries only what the engine reads.
public struct Coupon: Sendable, Hashable {
    public var id: Int64
    public var campaignId: Int64
    public var value: String
    public var usageLimit: Int
    public var usageCounter: Int
    public var discountLimit: Decimal?
    public var discountCounter: Decimal?
    public var startDate: Date?
    public var expiryDate: Date?
    public var recipientIntegrationId: String?
    public var attributes: [String: JSONValue]?

    public init(id: Int64, campaignId: Int64, value: String, usageLimit: Int = 0, usageCounter: Int = 0) {
        self.id = id
        self.campaignId = campaignId
        self.value = value
        self.usageLimit = usageLimit
        self.usageCounter = usageCounter
    }
}
