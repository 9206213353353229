import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore {
    /// What an answer shows (``AnswerReads``), read in the caller's transaction: a commit's, after its writes, or a
    /// dry run's snapshot (`session`, `profileId` and `readCoupons` are what that snapshot read).
    static func answer(_ db: Database, _ reads: AnswerReads, applicationId: Int64, session: CustomerSession?,
                       profileId readProfileId: String? = nil, readCoupons: [Coupon] = []) throws -> AnswerState
    {
        var state = AnswerState()
        guard !reads.isEmpty else { return state }
        for id in reads.campaignIds where state.campaigns[id] == nil {
            if let row = try Row.fetchOne(db.cachedStatement(sql: AnswerStatements.campaign),
                                          arguments: [id, applicationId]) {
                state.campaigns[id] = try Self.campaign(from: row)
            }
        }
        let profileId = reads.profileId ?? readProfileId
        if reads.profile, let profileId {
            state.audiences = try Row.fetchAll(db.cachedStatement(sql: AnswerStatements.audienceMemberships),
                                               arguments: [reads.accountId, profileId]).map(Self.audience(from:))
            state.profile = try Self.profile(db, applicationId: applicationId, integrationId: profileId)
        }
        if let ids = reads.couponIds {
            state.coupons = readCoupons
            for id in ids where !state.coupons.contains(where: { $0.id == id }) {
                if let row = try Row.fetchOne(db.cachedStatement(sql: AnswerStatements.coupon),
                                              arguments: [id, applicationId]) {
                    state.coupons.append(try Self.coupon(from: row))
                }
            }
            if let profileId {
                for coupon in state.coupons {
                    state.profileCouponRedemptions[coupon.id] = try profileCouponRedemptions(
                        db, applicationId: applicationId, profileId: profileId, couponId: coupon.id
                    )
                }
            }
        }
        var referralRow: Row?
        if let id = reads.referralId {
            referralRow = try Row.fetchOne(db.cachedStatement(sql: AnswerStatements.referralById),
                                           arguments: [id, applicationId])
        } else if let code = reads.referralCode?(session) {
            referralRow = try Row.fetchOne(db.cachedStatement(sql: AnswerStatements.referralByCode),
                                           arguments: [applicationId, code])
        }
        if let referralRow {
            let referral = try Self.referral(from: referralRow)
            state.referral = referral
            state.referredFriends = try Row.fetchAll(
                db.cachedStatement(sql: AnswerStatements.referredFriends),
                arguments: [applicationId, referral.advocateProfileIntegrationId, referral.id]
            ).map(Self.referredFriend(from:))
        }
        if let sessionId = reads.returnsOfSession {
            state.returns = try Row.fetchAll(db.cachedStatement(sql: AnswerStatements.sessionReturns),
                                             arguments: [applicationId, sessionId]).map(Self.event(from:))
        }
        return state
    }
}
