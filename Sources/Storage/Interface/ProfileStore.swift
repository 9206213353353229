import Foundation
import PromotionEngine

/// Writes of a profile update or a custom event, in one transaction.
public struct ProfileCommit: Sendable {
    public var applicationId: Int64
    public var integrationId: String
    /// Attributes to set; keys not named keep their values.
    public var attributes: [String: JSONValue]
    public var event: SessionEvent?
    public var now: Date
    /// What the rules' effects count (custom effects, free items, …), applied as a session close applies them.
    public var campaignCounters: [CampaignCounterDelta] = []
    /// Coupons rules created, as in ``SessionCommit/createdCoupons`` (a taken code fails with `sessionChanged`).
    public var createdCoupons: [(coupon: Coupon, normalizedValue: String)] = []
    public var couponCreationMaximums: [Int64: Int] = [:]
    /// Audience joins and leaves: the request's `audiencesChanges`, then the rules' effects, in order.
    public var audienceChanges: [AudienceMembershipChange] = []
    /// What the answer shows beyond the profile, read after this commit's writes in its transaction.
    public var answerReads = AnswerReads()

    public init(applicationId: Int64, integrationId: String, attributes: [String: JSONValue], event: SessionEvent?,
                now: Date)
    {
        self.applicationId = applicationId
        self.integrationId = integrationId
        self.attributes = attributes
        self.event = event
        self.now = now
    }
}

/// The stored result of a profile commit.
public struct CommittedProfile: Sendable {
    public var profile: CustomerProfile
    public var event: SessionEvent?
    /// The coupons the rules created, with their ids.
    public var createdCoupons: [Coupon]
    /// What ``ProfileCommit/answerReads`` asked for, as this commit left it.
    public var answer = AnswerState()

    public init(profile: CustomerProfile, event: SessionEvent?, createdCoupons: [Coupon] = []) {
        self.profile = profile
        self.event = event
        self.createdCoupons = createdCoupons
    }
}

/// Customer profiles outside of session updates: attribute updates, custom events, erasure.
public protocol ProfileStore: Sendable {
    /// Creates the profile when missing, merges the attributes, records the event. Returns the stored profile
    /// and the event with its id.
    /// Throws like ``SessionStore/commitSession(_:)`` when a created code is taken (`sessionChanged`) or a
    /// `createCoupon` budget ran out meanwhile (`campaignLimitReached`): the caller re-evaluates.
    func commitProfile(_ commit: ProfileCommit) async throws -> CommittedProfile
    /// Several profile commits in one transaction (the bulk endpoint): all or none.
    func commitProfiles(_ commits: [ProfileCommit]) async throws -> [CommittedProfile]
    /// Erases the personal data of a customer: the profile's attributes and its sessions' attributes.
    /// Counters (closed sessions, total sales) stay, as they hold no personal data.
    func eraseCustomerData(applicationId: Int64, integrationId: String) async throws
}
