import Foundation
import PromotionEngine
import Storage

extension PostgresStore {
    /// What an answer shows (``AnswerReads``), read in the caller's transaction: a commit's, after its writes, or a
    /// dry run's snapshot (`session`, `profileId` and `readCoupons` are what that snapshot read).
    static func answer(_ db: Database, _ reads: AnswerReads, applicationId: Int64, session: CustomerSession?,
                       profileId readProfileId: String? = nil, readCoupons: [Coupon] = []) async throws -> AnswerState
    {
        var state = AnswerState()
        guard !reads.isEmpty else { return state }
        for id in reads.campaignIds where state.campaigns[id] == nil {
            if let row = try await db.row(AnswerStatements.campaign, [id, applicationId]) {
                state.campaigns[id] = try Self.campaign(from: row)
            }
        }
        let profileId = reads.profileId ?? readProfileId
        if reads.profile, let profileId {
            state.audiences = try await db.rows(AnswerStatements.audienceMemberships, [reads.accountId, profileId])
                .map(Self.audience(from:))
            state.profile = try await Self.profile(db, applicationId: applicationId, integrationId: profileId)
        }
        if let ids = reads.couponIds {
            state.coupons = readCoupons
            for id in ids where !state.coupons.contains(where: { $0.id == id }) {
                if let row = try await db.row(AnswerStatements.coupon, [id, applicationId]) {
                    state.coupons.append(try Self.coupon(from: row))
                }
            }
            if let profileId {
                for coupon in state.coupons {
                    state.profileCouponRedemptions[coupon.id] = try await profileCouponRedemptions(
                        db, applicationId: applicationId, profileId: profileId, couponId: coupon.id
                    )
                }
            }
        }
        var referralRow: Row?
        if let id = reads.referralId {
            referralRow = try await db.row(AnswerStatements.referralById, [id, applicationId])
        } else if let code = reads.referralCode?(session) {
            referralRow = try await db.row(AnswerStatements.referralByCode, [applicationId, code])
        }
        if let referralRow {
            let referral = try Self.referral(from: referralRow)
            state.referral = referral
            state.referredFriends = try await db.rows(
                AnswerStatements.referredFriends, [applicationId, referral.advocateProfileIntegrationId, referral.id]
            ).map(Self.referredFriend(from:))
        }
        if let sessionId = reads.returnsOfSession {
            state.returns = try await db.rows(AnswerStatements.sessionReturns, [applicationId, sessionId])
                .map(Self.event(from:))
        }
        return state
    }
}
