import Foundation

/// A coupon code of a campaign, with its limits and what redemptions used of them.
public struct Coupon: Sendable, Hashable {
    public var id: Int64
    public var campaignId: Int64
    public var value: String
    /// 0 means unlimited.
    public var usageLimit: Int
    public var usageCounter: Int
    public var discountLimit: Decimal?
    public var discountCounter: Decimal?
    public var reservationLimit: Int?
    /// How many profiles hold a reservation of the code.
    public var reservationCounter = 0
    /// Only profiles holding a reservation may redeem the code (a "hard" reservation).
    public var isReservationMandatory = false
    /// The code counts as reserved for every customer (Talon.One's "coupon visibility").
    public var implicitlyReserved = false
    public var startDate: Date?
    public var expiryDate: Date?
    public var recipientIntegrationId: String?
    public var attributes: [String: JSONValue]?
    public var batchId: String?
    public var limits: [LimitConfig]?
    public var created: Date

    public init(id: Int64, campaignId: Int64, value: String, usageLimit: Int = 0, usageCounter: Int = 0,
                created: Date = Date(timeIntervalSince1970: 0))
    {
        self.id = id
        self.campaignId = campaignId
        self.value = value
        self.usageLimit = usageLimit
        self.usageCounter = usageCounter
        self.created = created
    }
}

extension Coupon {
    /// The coupon's own per-profile budget (`limits: [{action: redeemCoupon, entities: [Profile]}]`, which
    /// Talon.One allows on a coupon), nil when it has none.
    public var maximumRedemptionsPerProfile: Int? {
        (limits ?? []).filter { limit in
            limit.action == .redeemCoupon && limit.isPerProfile && limit.period == nil
        }.map { NSDecimalNumber(decimal: $0.limit).intValue }.min()
    }
}
