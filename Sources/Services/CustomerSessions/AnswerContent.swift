import Foundation
import PromotionEngine
import Storage

/// The parts of an Integration API answer (`responseContent`) that show stored state beyond the session: read
/// with the commit, after its counters moved (a dry run: with its snapshot), never after it.
public struct AnswerContent: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let customerProfile = AnswerContent(rawValue: 1 << 0)
    public static let triggeredCampaigns = AnswerContent(rawValue: 1 << 1)
    public static let coupons = AnswerContent(rawValue: 1 << 2)
    public static let referral = AnswerContent(rawValue: 1 << 3)
    public static let previousReturns = AnswerContent(rawValue: 1 << 4)
    public static let campaignEligibility = AnswerContent(rawValue: 1 << 5)

    /// What a commit reads for these parts, once the evaluation named its campaigns.
    func reads(application: Application, sessionId: String?, profileId: String?, campaignIds: [Int64],
               couponIds: [Int64], referralId: Int64?) -> AnswerReads
    {
        var reads = AnswerReads()
        guard !isEmpty else { return reads }
        reads.campaignIds = campaignIds
        reads.accountId = application.accountId
        reads.profileId = profileId
        reads.profile = contains(.customerProfile)
        reads.couponIds = contains(.coupons) ? couponIds : nil
        reads.referralId = contains(.referral) ? referralId : nil
        reads.returnsOfSession = contains(.previousReturns) ? sessionId : nil
        return reads
    }

    /// Whether the answer shows campaigns (triggered ones, or every running one with its eligibility).
    var showsCampaigns: Bool { !isDisjoint(with: [.triggeredCampaigns, .campaignEligibility]) }
}
