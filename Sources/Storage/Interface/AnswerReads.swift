import Foundation
import PromotionEngine

/// What an Integration API answer shows beyond the session and its effects (`responseContent`), read in the
/// commit's transaction after its counters moved — a dry run, which commits nothing, reads it in its snapshot —
/// so that the route makes no store call after the commit and the answer shows the state the commit produced.
/// Empty (the default) reads nothing: requests that ask for none of it pay nothing.
public struct AnswerReads: Sendable {
    /// Campaigns the answer shows (`triggeredCampaigns`, `campaignEligibility`), with their counters.
    public var campaignIds: [Int64] = []
    /// The profile whose audiences and coupon redemptions the answer shows; a snapshot read takes the profile it
    /// reads when nil.
    public var profileId: String?
    public var accountId: Int64 = 0
    /// `customerProfile`: the profile's audience memberships, and (a commit) its attributes as stored.
    public var profile = false
    /// `coupons`: these coupons as stored, with how often the profile redeemed each (nil: not asked). A snapshot
    /// read shows the coupons it read, then these.
    public var couponIds: [Int64]?
    /// `referral`: this referral as stored, with the friends its advocate brought in its campaign.
    public var referralId: Int64?
    /// A snapshot read's `referral`: the normalized code to read, given the stored session (the request may send
    /// none and keep the stored one).
    public var referralCode: (@Sendable (CustomerSession?) -> String?)?
    /// `previousReturns`: the returns of this session.
    public var returnsOfSession: String?

    public init() {}

    public var isEmpty: Bool {
        campaignIds.isEmpty && !profile && couponIds == nil && referralId == nil && referralCode == nil
            && returnsOfSession == nil
    }
}

/// What ``AnswerReads`` asked for, as the commit's transaction (or a dry run's snapshot) saw it.
public struct AnswerState: Sendable {
    public var campaigns: [Int64: Campaign] = [:]
    public var audiences: [Audience] = []
    /// The profile with its attributes as the commit left them (a commit asked for `profile`).
    public var profile: CustomerProfile?
    public var coupons: [Coupon] = []
    public var profileCouponRedemptions: [Int64: Int] = [:]
    public var referral: Referral?
    /// The friends the referral brought, newest first.
    public var referredFriends: [ReferredFriend] = []
    /// The session's returns (`talon_session_partially_returned` events), oldest first.
    public var returns: [SessionEvent] = []

    public init() {}
}

/// The SQL both backends run for ``AnswerReads`` (`?` placeholders), written once.
public enum AnswerStatements {
    /// Arguments: campaign id, application id.
    public static let campaign = "SELECT * FROM campaign WHERE id = ? AND application_id = ?"
    /// Arguments: coupon id, application id.
    public static let coupon = "SELECT * FROM coupon WHERE id = ? AND application_id = ?"
    /// Arguments: referral id, application id.
    public static let referralById = "SELECT * FROM referral WHERE id = ? AND application_id = ?"
    /// Arguments: application id, normalized code.
    public static let referralByCode = "SELECT * FROM referral WHERE application_id = ? AND normalized_code = ?"
    /// The friends one referral brought, newest first, as many as an inventory shows. Arguments: application id,
    /// the referral's advocate (the indexed column), referral id.
    public static let referredFriends = """
        SELECT * FROM referred_friend WHERE application_id = ? AND advocate_profile_integration_id = ?
            AND referral_id = ? ORDER BY created DESC LIMIT 1000
        """
    /// Arguments: account id, profile integration id.
    public static let audienceMemberships = """
        SELECT a.* FROM audience_membership m JOIN audience a ON a.id = m.audience_id
        WHERE a.account_id = ? AND m.profile_integration_id = ? ORDER BY a.id
        """
    /// Arguments: application id, session integration id.
    public static let sessionReturns = """
        SELECT * FROM event WHERE application_id = ? AND session_integration_id = ?
            AND type = '\(EventType.sessionPartiallyReturned.rawValue)' ORDER BY id
        """
}
