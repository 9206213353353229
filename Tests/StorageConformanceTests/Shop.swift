import Foundation
import PromotionEngine
import Storage
import Testing

/// An application with campaigns and coupons on a store under test, and the commits a session close makes.
struct Shop: Sendable {
    let store: any Store
    let applicationId: Int64
    let now = Date().storagePrecision

    static func open(_ store: any Store, currency: String = "EUR") async throws -> Shop {
        _ = try await store.bootstrapAccount(adminEmail: "admin@example.com", adminName: "Admin", passwordHash: "h",
                                            now: Date())
        let application = try await store.createApplication(
            accountId: 1, settings: ApplicationSettings(name: "shop", timezone: "UTC", currency: currency), now: Date()
        )
        return Shop(store: store, applicationId: application.id)
    }

    /// The same application seen through another store on the same database (another node).
    func on(_ other: any Store) -> Shop { Shop(store: other, applicationId: applicationId) }

    func campaign(_ name: String = "campaign") async throws -> Campaign {
        try await store.createCampaign(applicationId: applicationId, userId: 1, settings: CampaignSettings(name: name),
                                       now: now)
    }

    func coupon(_ code: String, of campaign: Campaign, usageLimit: Int = 0) async throws -> Coupon {
        try #require(try await store.insertCoupons(
            [Coupon(id: 0, campaignId: campaign.id, value: code, usageLimit: usageLimit, created: now)],
            applicationId: applicationId, normalizedValues: [code]
        ).first)
    }

    /// A commit that creates `sessionId` already closed: the coupons redeemed, one campaign change, the profile's
    /// counts moved, as `SessionTransition` plans a close.
    func close(_ sessionId: String, profileId: String? = nil, coupons: [Coupon] = [], counters: [CampaignCounterDelta] = [],
               periodKeys: [String] = [], total: Decimal = 10) -> SessionCommit
    {
        let session = CustomerSession(integrationId: sessionId, applicationId: applicationId, profileId: profileId,
                                      couponCodes: coupons.map(\.value), state: .closed, updateCount: 1, created: now,
                                      updated: now)
        let accepted = coupons.map {
            EvaluationOutcome.AcceptedCoupon(couponId: $0.id, campaignId: $0.campaignId, code: $0.value)
        }
        let ledger = CloseLedger(acceptedCoupons: accepted, discountsByCampaign: [:], campaignCounters: counters,
                                 total: total, profileId: profileId, periodKeys: periodKeys)
        var commit = SessionCommit(
            session: session, expectedUpdateCount: nil, effects: [], closeLedger: .set(ledger),
            profile: profileId.map { ProfileChange(integrationId: $0, closedSessionsDelta: 1, totalSalesDelta: total, now: now) },
            redeemCouponIds: coupons.map(\.id), returnCouponIds: [],
            event: SessionEvent(applicationId: applicationId, type: .sessionClosed, sessionId: sessionId,
                                profileId: profileId, effects: [], created: now)
        )
        commit.campaignCounters = counters
        commit.redemptions = RedemptionChange(profileId: profileId, coupons: accepted, direction: 1,
                                              periodKeys: periodKeys)
        return commit
    }

    /// The commit that cancels a session closed by `closed` (as `SessionTransition` plans a cancel).
    func cancel(_ closed: SessionCommit) -> SessionCommit {
        guard case .set(let ledger) = closed.closeLedger else { preconditionFailure("not a close") }
        var session = closed.session
        session.state = .cancelled
        session.updateCount += 1
        var commit = SessionCommit(
            session: session, expectedUpdateCount: closed.session.updateCount, effects: [], closeLedger: .clear,
            profile: ledger.profileId.map {
                ProfileChange(integrationId: $0, closedSessionsDelta: -1, totalSalesDelta: -ledger.total, now: now)
            },
            redeemCouponIds: [], returnCouponIds: ledger.acceptedCoupons.map(\.couponId),
            event: SessionEvent(applicationId: applicationId, type: .sessionCancelled, sessionId: session.integrationId,
                                profileId: session.profileId, effects: [], created: now)
        )
        commit.campaignCounters = (ledger.campaignCounters ?? []).map(\.reversed)
        commit.couponDiscountDeltas = closed.couponDiscountDeltas.mapValues { -$0 }
        commit.redemptions = RedemptionChange(profileId: session.profileId, coupons: ledger.acceptedCoupons,
                                              direction: -1, periodKeys: ledger.periodKeys ?? [])
        return commit
    }

    func snapshot(_ sessionId: String, profileId: String? = nil, codes: [String] = [], countersOf campaigns: [Int64] = [],
                  periodKeys: [String] = []) async throws -> SessionSnapshot
    {
        try await store.sessionSnapshot(applicationId: applicationId, sessionId: sessionId, profileId: profileId,
                                        normalizedCouponCodes: codes, countersOf: campaigns, periodKeys: periodKeys)
    }
}

extension CampaignCounterDelta {
    static func redeeming(_ campaign: Campaign, discount: Decimal = 0) -> CampaignCounterDelta {
        var delta = CampaignCounterDelta(campaignId: campaign.id)
        delta.couponRedemptions = 1
        delta.discount = discount
        delta.discountEffects = discount > 0 ? 1 : 0
        return delta
    }
}
