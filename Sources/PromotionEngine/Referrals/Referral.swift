import Foundation

/// A referral code: an advocate's code that a friend sends with a session (`referralCode`), valid for one
/// campaign with the `referrals` feature, within its dates and usage limit.
public struct Referral: Sendable, Hashable {
    public var id: Int64
    public var campaignId: Int64
    public var code: String
    public var advocateProfileIntegrationId: String
    /// When set, only this profile may use the code.
    public var friendProfileIntegrationId: String?
    public var startDate: Date?
    public var expiryDate: Date?
    /// 0 means unlimited.
    public var usageLimit: Int
    public var usageCounter: Int
    public var attributes: [String: JSONValue]?
    public var batchId: String?
    public var importId: Int64?
    public var created: Date

    public init(id: Int64, campaignId: Int64, code: String, advocateProfileIntegrationId: String,
                friendProfileIntegrationId: String? = nil, usageLimit: Int = 0, usageCounter: Int = 0,
                created: Date = Date(timeIntervalSince1970: 0))
    {
        (self.id, self.campaignId, self.code) = (id, campaignId, code)
        (self.advocateProfileIntegrationId, self.friendProfileIntegrationId) =
            (advocateProfileIntegrationId, friendProfileIntegrationId)
        (self.usageLimit, self.usageCounter, self.created) = (usageLimit, usageCounter, created)
    }

    /// Referral codes follow the coupon code rules: drawn from a pattern when none is given.
    public static let defaultPattern = CouponPattern(pattern: "REF-#####-#####")
}

/// The referral a session's code names, accepted by an evaluation (redeemed if the session closes).
public struct AcceptedReferral: Sendable, Hashable, Codable {
    public var referralId: Int64
    public var campaignId: Int64
    public var code: String
    public var advocateProfileIntegrationId: String

    public init(referralId: Int64, campaignId: Int64, code: String, advocateProfileIntegrationId: String) {
        (self.referralId, self.campaignId, self.code) = (referralId, campaignId, code)
        self.advocateProfileIntegrationId = advocateProfileIntegrationId
    }
}

/// Why a referral code was refused (`rejectReferral.props.rejectionReason`), as the spec lists them.
public enum ReferralRejectionReason: String, Sendable, Hashable, Codable, CaseIterable {
    case advocateNotFound = "AdvocateNotFound"
    case campaignLimitReached = "CampaignLimitReached"
    case effectCouldNotBeApplied = "EffectCouldNotBeApplied"
    case profileLimitReached = "ProfileLimitReached"
    case referralCustomerAlreadyReferred = "ReferralCustomerAlreadyReferred"
    case referralExpired = "ReferralExpired"
    case referralLimitReached = "ReferralLimitReached"
    case referralNotFound = "ReferralNotFound"
    case referralPartOfNotRunningCampaign = "ReferralPartOfNotRunningCampaign"
    case referralRecipientDoesNotMatch = "ReferralRecipientDoesNotMatch"
    case referralRecipientIdSameAsAdvocate = "ReferralRecipientIdSameAsAdvocate"
    case referralRejectedByCondition = "ReferralRejectedByCondition"
    case referralStartDateInFuture = "ReferralStartDateInFuture"
    case referralPartOfNotTriggeredCampaign = "ReferralPartOfNotTriggeredCampaign"
}

public struct ReferralRejection: Sendable, Hashable {
    public var code: String
    public var reason: ReferralRejectionReason
    public var details: String?

    public init(code: String, reason: ReferralRejectionReason, details: String? = nil) {
        (self.code, self.reason, self.details) = (code, reason, details)
    }
}
