import Foundation
import PromotionEngine
import Storage

/// One customer's closed sessions over a range, added up (the customer activity reports): orders, revenue,
/// discounts, and the coupons the closes redeemed or refused.
public struct CustomerActivity: Sendable, Hashable {
    public var totalOrders = 0
    public var totalOrdersNoCoupon = 0
    public var accruedRevenue: Decimal = 0
    public var accruedDiscounts: Decimal = 0
    public var couponRedemptions = 0
    public var couponFailedAttempts = 0
    public var couponUseAttempts: Int { couponRedemptions + couponFailedAttempts }
    public var lastActivity: Date?

    public init() {}

    /// Adds a `talon_session_closed` event of this customer (others are ignored).
    public mutating func add(_ event: SessionEvent) {
        guard event.type == .sessionClosed else { return }
        totalOrders += 1
        if case .number(let total)? = event.attributes["total"] { accruedRevenue += total }
        var redeemed = 0
        for effect in event.effects {
            switch effect.kind {
            case .acceptCoupon: redeemed += 1
            case .rejectCoupon: couponFailedAttempts += 1
            default: accruedDiscounts += effect.discountValue ?? 0
            }
        }
        couponRedemptions += redeemed
        if redeemed == 0 { totalOrdersNoCoupon += 1 }
        lastActivity = max(lastActivity ?? event.created, event.created)
    }

    /// The activity of each of `profiles` (integration ids) in the application's closed sessions of the range:
    /// one pass over the range's events, whatever the number of customers asked for.
    public static func read(store: any Store, applicationId: Int64, profiles: Set<String>, from start: Date,
                            to end: Date) async throws -> [String: CustomerActivity]
    {
        var activities: [String: CustomerActivity] = [:]
        var filter = EventFilter()
        filter.type = EventType.sessionClosed.rawValue
        filter.createdAfter = start.addingTimeInterval(-0.001)
        filter.createdBefore = end
        try await store.forEachEventPage(applicationId: applicationId, filter: filter) { page in
            for event in page {
                guard let profile = event.profileId, profiles.contains(profile) else { continue }
                activities[profile, default: CustomerActivity()].add(event)
            }
        }
        return activities
    }
}
