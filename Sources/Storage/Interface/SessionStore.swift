import Foundation
import PromotionEngine

/// What an Integration API request reads before the engine runs: one consistent snapshot.
public struct SessionSnapshot: Sendable {
    /// The stored session, nil when this request creates it.
    public var session: CustomerSession?
    /// What closing the stored session redeemed, kept so a cancel can give it back.
    public var closeLedger: CloseLedger?
    /// The profile the (updated) session names, nil when it doesn't exist yet or the session is anonymous.
    public var profile: CustomerProfile?
    /// The coupons of the application whose normalized code the session sends.
    public var coupons: [Coupon]
    /// The current counters of the campaigns that have budgets (read fresh: they move with every close).
    public var campaignCounters: [Int64: CampaignCounters]
    /// For the same campaigns: how often the session's profile already redeemed their coupons.
    public var profileRedemptions: [Int64: Int]
    /// The same per ``BudgetPeriod`` key (sessions closed in that period).
    public var profilePeriodRedemptions: [Int64: [String: Int]] = [:]
    /// For the sent coupons with their own per-profile limit: how often the profile already redeemed each.
    public var profileCouponRedemptions: [Int64: Int] = [:]
    /// The application's loyalty programs and the profile's active points in them (read by the service).
    public var loyalty: [LoyaltyStanding] = []
    /// The referral the session's code names (read by `ReferralStore.referralContext`).
    public var referralContext = ReferralContext(referral: nil)
    /// The audiences the session's profile is a member of (read by `AudienceStore.audienceMemberships`).
    public var audienceIds: Set<Int64> = []
    /// Of the sent coupons that need a reservation, those the session's profile holds one of.
    public var reservedCouponIds: Set<Int64> = []
    /// The profile's standings in the application's achievements (read by the service when rules use them).
    public var achievements: [AchievementStanding] = []
    /// What a dry run's answer shows (``AnswerReads``), read with the snapshot.
    public var answer = AnswerState()

    public init(session: CustomerSession?, closeLedger: CloseLedger?, profile: CustomerProfile?, coupons: [Coupon],
                campaignCounters: [Int64: CampaignCounters] = [:], profileRedemptions: [Int64: Int] = [:])
    {
        self.profileRedemptions = profileRedemptions
        self.session = session
        self.closeLedger = closeLedger
        self.profile = profile
        self.coupons = coupons
        self.campaignCounters = campaignCounters
    }
}

/// What closing a session redeemed: coupons, discounts per campaign, campaign counters, the sale.
public struct CloseLedger: Sendable, Hashable, Codable {
    public var acceptedCoupons: [EvaluationOutcome.AcceptedCoupon]
    public var discountsByCampaign: [String: Decimal]
    public var campaignCounters: [CampaignCounterDelta]?
    public var total: Decimal
    public var profileId: String?
    /// The ``BudgetPeriod`` keys of the close (absent in older ledgers): per-profile period budgets count by them.
    public var periodKeys: [String]?
    /// The item discounts (`setDiscountPerItem`) of the close and how much returns gave back of each.
    public var itemDiscounts: [ItemDiscount]?

    public struct ItemDiscount: Sendable, Hashable, Codable {
        public var campaignId: Int64
        public var couponId: Int64?
        public var name: String
        public var position: Int
        public var value: Decimal
        public var rolledBack: Decimal

        public init(campaignId: Int64, couponId: Int64?, name: String, position: Int, value: Decimal) {
            (self.campaignId, self.couponId, self.name, self.position, self.value, rolledBack) =
                (campaignId, couponId, name, position, value, 0)
        }
    }
    /// Discounts given under each accepted coupon (their `discountCounter` share); absent in older ledgers.
    public var discountsByCoupon: [String: Decimal]?
    /// The loyalty points the close added and spent (absent: none), for a cancel's rollback effects.
    public var loyalty: [LoyaltyMovement]?
    /// Set when the close recorded achievement progress (absent: none), so a cancel gives it back.
    public var achievements: Bool?
    /// The referral the close redeemed, so a cancel gives it back.
    public var acceptedReferral: AcceptedReferral?

    public init(acceptedCoupons: [EvaluationOutcome.AcceptedCoupon], discountsByCampaign: [Int64: Decimal],
                campaignCounters: [CampaignCounterDelta], total: Decimal, profileId: String?,
                discountsByCoupon: [Int64: Decimal] = [:], periodKeys: [String]? = nil,
                itemDiscounts: [ItemDiscount]? = nil)
    {
        self.periodKeys = periodKeys
        self.itemDiscounts = itemDiscounts
        self.discountsByCoupon = Dictionary(uniqueKeysWithValues: discountsByCoupon.map { (String($0), $1) })
        self.acceptedCoupons = acceptedCoupons
        self.discountsByCampaign = Dictionary(uniqueKeysWithValues: discountsByCampaign.map { (String($0), $1) })
        self.campaignCounters = campaignCounters
        self.total = total
        self.profileId = profileId
    }
}

/// Everything one session update writes, in one transaction.
public struct SessionCommit: Sendable {
    public var session: CustomerSession
    /// The `updateCount` the snapshot saw (nil: the session must not exist yet). A different stored value
    /// means another node changed the session meanwhile: the commit fails with `sessionChanged`.
    public var expectedUpdateCount: Int?
    public var effects: [Effect]
    /// Set when this update closes the session; cleared (`.clear`) when a cancel gives it back.
    public var closeLedger: LedgerChange
    public var profile: ProfileChange?
    /// Coupons whose usage this commit takes (+1 each, only while under their limit) or gives back (−1).
    public var redeemCouponIds: [Int64]
    public var returnCouponIds: [Int64]
    /// Coupons with their own per-profile limit that this commit redeems, with that limit: the commit fails
    /// with `couponLimitReached` when the profile would pass it (re-evaluated, then `ProfileLimitReached`).
    public var couponProfileMaximums: [Int64: Int] = [:]
    /// Discount given (+, on close) or given back (−, on cancel/reopen) per coupon; a coupon whose
    /// `discountLimit` this would pass fails the commit with `couponLimitReached` (re-evaluated).
    public var couponDiscountDeltas: [Int64: Decimal] = [:]
    /// The `discountLimit` of each coupon with a positive delta, as the evaluation saw it (absent or 0: none).
    public var couponDiscountLimits: [Int64: Decimal] = [:]
    /// The redemptions this commit records and counts per profile (a close, or its cancel or reopen).
    public var redemptions: RedemptionChange?
    public var campaignCounters: [CampaignCounterDelta] = []
    /// Coupons rules created (`couponCreated` effects), with their codes normalized for the application.
    /// A code that exists already fails the commit with `sessionChanged`, so the caller evaluates again
    /// and draws new codes.
    public var createdCoupons: [(coupon: Coupon, normalizedValue: String)] = []
    /// `createCoupon` budgets of the campaigns that create coupons in this commit: the campaign's
    /// `couponCreationCount` must stay within them (else `campaignLimitReached`, and the request is re-evaluated).
    public var couponCreationMaximums: [Int64: Int] = [:]
    /// A closing session's new coupon reservations (`reserveCoupon` effects), each one row per coupon and customer
    /// and one guarded move of the coupon's `reservation_counter`: a reservation taken meanwhile fails the commit
    /// with `sessionChanged`, a full coupon with `couponLimitReached` (both re-evaluated).
    public var couponReservations: [CouponReservationClaim] = []
    /// A closing session's referrals made by rules (`referralCreated` effects), codes normalized for the
    /// application; a code that exists already fails the commit with `sessionChanged` (evaluated again, new codes).
    public var createdReferrals: [(referral: Referral, normalizedCode: String)] = []
    /// Loyalty ledger entries this commit appends or rolls back.
    public var loyalty: LoyaltyCommit?
    /// The referral this commit redeems (a close) or gives back (a cancel or reopen).
    public var referralRedemption: ReferralRedemption?
    /// Audience joins and leaves (`addToAudience` / `removeFromAudience` effects), applied in order.
    public var audienceChanges: [AudienceMembershipChange] = []
    /// Webhook calls (`triggerWebhook` effects) for the outbox: written with the commit, sent after it.
    public var webhookDeliveries: [WebhookDelivery] = []
    /// Codes to take from giveaway pools, one per `willAwardGiveaway` effect of a closing session, in effect order
    /// (each one guarded statement: a code goes to one commit only; an empty pool awards nothing).
    public var giveawayClaims: [GiveawayClaim] = []
    /// A closing session's `increaseAchievementProgress` effects, in effect order: each one upsert of its tracker
    /// guarded in the statement (a completed or expired tracker takes no more), recorded for a cancel.
    public var achievementProgress: [AchievementProgress] = []
    /// A cancel or reopen: give back the progress the session's close recorded (each one guarded statement).
    public var rollsBackAchievements = false
    public var event: SessionEvent
    /// What the answer shows beyond the session, read after this commit's writes in its transaction.
    public var answerReads = AnswerReads()

    public enum LedgerChange: Sendable { case keep, set(CloseLedger), clear }

    public init(session: CustomerSession, expectedUpdateCount: Int?, effects: [Effect], closeLedger: LedgerChange,
                profile: ProfileChange?, redeemCouponIds: [Int64], returnCouponIds: [Int64], event: SessionEvent)
    {
        self.session = session
        self.expectedUpdateCount = expectedUpdateCount
        self.effects = effects
        self.closeLedger = closeLedger
        self.profile = profile
        self.redeemCouponIds = redeemCouponIds
        self.returnCouponIds = returnCouponIds
        self.event = event
    }
}

/// How a commit changes (or creates) the session's profile.
public struct ProfileChange: Sendable {
    public var integrationId: String
    public var closedSessionsDelta: Int
    public var totalSalesDelta: Decimal
    /// Attributes rules set (`updateAttribute` on `Profile.Attributes.…`), merged into the stored ones.
    public var attributeUpdates: [String: JSONValue] = [:]
    /// The profile as the snapshot read it. When set and no attributes change, the commit returns it with the
    /// counters the statement produced instead of reading the row back (its attributes are not decoded again:
    /// on a node, the profile's request line keeps them as read; ``AnswerReads/profile`` reads them back).
    public var asRead: CustomerProfile?
    public var now: Date

    public init(integrationId: String, closedSessionsDelta: Int = 0, totalSalesDelta: Decimal = 0, now: Date) {
        self.integrationId = integrationId
        self.closedSessionsDelta = closedSessionsDelta
        self.totalSalesDelta = totalSalesDelta
        self.now = now
    }
}

/// A recorded event: `talon_session_updated`, `talon_session_closed`, … or a custom event.
public struct SessionEvent: Sendable, Hashable {
    public var id: Int64
    public var applicationId: Int64
    public var type: EventType
    public var sessionId: String?
    public var profileId: String?
    public var attributes: [String: JSONValue]
    public var effects: [Effect]
    public var created: Date
    /// The internal ids of the event's session and profile, when read with `EventFilter.withInternalIds`.
    public var sessionInternalId: Int64?
    public var profileInternalId: Int64?
    /// An advanced (v3) event's id, chosen by the shop: unique per application, so a repeat is refused.
    public var integrationId: String?
    /// The closed session an advanced event refers to.
    public var connectedSessionId: String?

    public init(id: Int64 = 0, applicationId: Int64, type: EventType, sessionId: String?, profileId: String?,
                attributes: [String: JSONValue] = [:], effects: [Effect], created: Date)
    {
        self.id = id
        self.applicationId = applicationId
        self.type = type
        self.sessionId = sessionId
        self.profileId = profileId
        self.attributes = attributes
        self.effects = effects
        self.created = created
    }
}

/// The stored result of a commit, for the response.
public struct CommittedSession: Sendable {
    public var session: CustomerSession
    public var profile: CustomerProfile?
    public var event: SessionEvent
    /// The coupons the commit created, with their ids.
    public var createdCoupons: [Coupon] = []
    /// The referrals the commit created, with their ids.
    public var createdReferrals: [Referral] = []
    /// The codes the commit's claims took (nil: the pool was empty), and the effects as stored with them.
    public var awardedGiveaways: [Giveaway] = []
    public var effects: [Effect]?
    /// The commit's effects as the store wrote them (`JSONText`), when `effects` is nil: the answer reuses the
    /// text instead of serialising the same effects a second time.
    public var effectsText: String?
    /// What ``SessionCommit/answerReads`` asked for, as this commit left it.
    public var answer = AnswerState()

    public init(session: CustomerSession, profile: CustomerProfile?, event: SessionEvent) {
        self.session = session
        self.profile = profile
        self.event = event
    }
}

/// Which coupons a session snapshot reads.
public enum SnapshotCouponCodes: Sendable {
    /// These codes, already normalized (the request sent them).
    case normalized([String])
    /// The codes the stored session holds, normalized by the application's rule (the request sent none).
    case ofStoredSession(normalize: @Sendable (String) -> String)

    public func resolved(for session: CustomerSession?) -> [String] {
        switch self {
        case .normalized(let codes): codes
        case .ofStoredSession(let normalize): session?.couponCodes.map(normalize) ?? []
        }
    }
}

/// Customer sessions, profiles and their events.
public protocol SessionStore: Sendable {
    /// Every guard (coupon usage and discount, campaign and period budgets, per-profile limits) is one conditional
    /// update of a counter row, applied in a fixed order — session, coupons, campaigns with their periods and
    /// created-coupon counts, the profile's redemption counters, the profile — so that two commits never wait on
    /// each other in a cycle.
    /// - Parameter periodKeys: the ``BudgetPeriod`` keys whose counters to load for `campaignIds`.
    /// - Parameter couponCodes: the coupons to read, so that a request without codes reads its stored session's
    ///   codes in the same read (one snapshot per request).
    /// - Parameter answering: what a dry run's answer shows, read in the same snapshot (``SessionSnapshot/answer``).
    func sessionSnapshot(applicationId: Int64, sessionId: String, profileId: String?, couponCodes: SnapshotCouponCodes,
                         countersOf campaignIds: [Int64], periodKeys: [String], answering: AnswerReads) async throws
        -> SessionSnapshot
    /// Writes the commit in one transaction, or nothing: throws ``StoreError/sessionChanged`` when the
    /// session moved on since the snapshot and ``StoreError/couponLimitReached(couponId:)`` when a coupon
    /// ran out meanwhile (the caller re-reads and re-evaluates).
    func commitSession(_ commit: SessionCommit) async throws -> CommittedSession
    func session(applicationId: Int64, sessionId: String) async throws -> (CustomerSession, [Effect])?
    func profile(applicationId: Int64, integrationId: String) async throws -> CustomerProfile?
    /// How often the profile redeemed each coupon (closed sessions that still hold the redemption).
    func profileRedemptions(applicationId: Int64, profileId: String, couponIds: [Int64]) async throws -> [Int64: Int]
}

extension SessionStore {
    public func sessionSnapshot(
        applicationId: Int64, sessionId: String, profileId: String?, couponCodes: SnapshotCouponCodes,
        countersOf campaignIds: [Int64], periodKeys: [String]
    ) async throws -> SessionSnapshot {
        try await sessionSnapshot(applicationId: applicationId, sessionId: sessionId, profileId: profileId,
                                  couponCodes: couponCodes, countersOf: campaignIds, periodKeys: periodKeys,
                                  answering: AnswerReads())
    }

    public func sessionSnapshot(
        applicationId: Int64, sessionId: String, profileId: String?, normalizedCouponCodes: [String],
        countersOf campaignIds: [Int64], periodKeys: [String]
    ) async throws -> SessionSnapshot {
        try await sessionSnapshot(applicationId: applicationId, sessionId: sessionId, profileId: profileId,
                                  couponCodes: .normalized(normalizedCouponCodes), countersOf: campaignIds,
                                  periodKeys: periodKeys)
    }
}
