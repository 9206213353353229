import Foundation
import PromotionEngine

/// What a listing of referrals filters on (`getReferralsWithoutTotalCount`, `exportReferrals`).
public struct ReferralFilter: Sendable, Hashable {
    public var campaignId: Int64?
    public var code: String?
    public var advocate: String?
    public var usable: Bool?
    public var createdBefore: Date?
    public var createdAfter: Date?
    /// Keyset paging for exports: only ids above this one.
    public var afterId: Int64?
    public var batchId: String?
    /// `exportReferrals`' `valid`: expired, valid now, valid only in the future (at `now`).
    public var validity: Validity?
    public var now = Date()

    public enum Validity: String, Sendable, Hashable { case expired, validNow, validFuture }

    public init(campaignId: Int64? = nil) { self.campaignId = campaignId }
}

/// What `updateReferral` may change (nil: unchanged).
public struct ReferralChanges: Sendable, Hashable {
    public var friendProfileIntegrationId: String?
    public var startDate: Date??
    public var expiryDate: Date??
    public var usageLimit: Int?
    public var attributes: [String: JSONValue]?

    public init() {}
}

/// A friend a referral brought: recorded when the friend's session closes with the code.
public struct ReferredFriend: Sendable, Hashable {
    public var campaignId: Int64
    public var referralId: Int64
    public var code: String
    /// The friend's session that redeemed the code.
    public var sessionId: String
    public var advocateProfileIntegrationId: String
    public var friendProfileIntegrationId: String
    public var created: Date

    public init(campaignId: Int64, referralId: Int64, code: String, sessionId: String,
                advocateProfileIntegrationId: String, friendProfileIntegrationId: String, created: Date)
    {
        (self.campaignId, self.referralId, self.created) = (campaignId, referralId, created)
        (self.code, self.sessionId) = (code, sessionId)
        (self.advocateProfileIntegrationId, self.friendProfileIntegrationId) =
            (advocateProfileIntegrationId, friendProfileIntegrationId)
    }
}

/// How a session commit moves a referral: a close redeems it (one use, only under its limit; the friend is
/// recorded, once per campaign), a cancel or reopen gives it back.
public struct ReferralRedemption: Sendable, Hashable {
    public var referral: AcceptedReferral
    /// The friend (the session's profile), nil for an anonymous session.
    public var friendProfileIntegrationId: String?
    /// +1 for a close, −1 for a cancel or reopen.
    public var direction: Int
    /// The campaign's `redeemReferral` budget per referral (`entities: ["Referral"]`): the close is refused
    /// (`referralLimitReached`) when the code's uses would pass it, as when they would pass its own limit.
    public var maximumUses: Int?

    public init(referral: AcceptedReferral, friendProfileIntegrationId: String?, direction: Int) {
        (self.referral, self.friendProfileIntegrationId, self.direction) =
            (referral, friendProfileIntegrationId, direction)
    }
}

/// Referral codes of referral campaigns and the friends they brought.
public protocol ReferralStore: Sendable {
    /// Inserts referrals in one transaction (codes normalized as the application matches them); a code that
    /// exists in the application fails the whole insert with `StoreError.conflict`, unless `skipExisting`.
    func insertReferrals(_ referrals: [Referral], applicationId: Int64, normalizedCodes: [String],
                         skipExisting: Bool) async throws -> [Referral]
    func referrals(applicationId: Int64, filter: ReferralFilter, page: PageRequest) async throws
        -> (referrals: [Referral], hasMore: Bool)
    func referral(id: Int64, applicationId: Int64, campaignId: Int64) async throws -> Referral
    func updateReferral(id: Int64, applicationId: Int64, campaignId: Int64, changes: ReferralChanges) async throws
        -> Referral
    func deleteReferral(id: Int64, applicationId: Int64, campaignId: Int64) async throws
    /// What a session's referral code needs before the engine runs: the referral, whether the profile was
    /// referred in its campaign already, whether the advocate exists.
    func referralContext(applicationId: Int64, normalizedCode: String, profileId: String?) async throws
        -> ReferralContext
    /// The friends a profile referred (as advocate), newest first.
    func referredFriends(applicationId: Int64, advocateProfileIntegrationId: String, page: PageRequest)
        async throws -> (friends: [ReferredFriend], hasMore: Bool)
}
