import Foundation

/// `referralCreated`: a rule made a referral code of its campaign for the session's customer as advocate. Only
/// `value` is in the effect's props (the spec's `ReferralCreatedEffectProps`); the advocate and friend ride along
/// for the commit that stores the referral, and a stored effect read back has the code alone.
public struct ReferralCreation: Sendable, Hashable {
    public var code: String
    public var advocateProfileIntegrationId: String
    public var friendProfileIntegrationId: String?

    public init(code: String, advocateProfileIntegrationId: String = "", friendProfileIntegrationId: String? = nil) {
        (self.code, self.advocateProfileIntegrationId, self.friendProfileIntegrationId) =
            (code, advocateProfileIntegrationId, friendProfileIntegrationId)
    }
}

extension Campaign {
    /// Referral codes are drawn like coupon codes: from the campaign's `referralSettings` (`couponPattern`,
    /// `validCharacters`), else ``Referral/defaultPattern``; `pattern` and `characters` (a request's) win.
    public func referralCodePattern(pattern: String? = nil, characters: [String]? = nil) -> CouponPattern {
        var settingsPattern: String?
        var settingsCharacters: [String]?
        if case .object(let referral)? = settings.referralSettings {
            if case .string(let text)? = referral["couponPattern"] { settingsPattern = text }
            if case .array(let values)? = referral["validCharacters"] {
                settingsCharacters = values.compactMap { if case .string(let text) = $0 { text } else { nil } }
            }
        }
        let text = pattern ?? settingsPattern ?? Referral.defaultPattern.pattern
        return CouponPattern(pattern: text, validCharacters: (characters ?? settingsCharacters)?.compactMap(\.first))
    }
}

extension RuleScope {
    /// `createReferral([friend])`: a new referral code of this campaign (which must have the `referrals` feature)
    /// with the session's customer as advocate, made when the session closes; the closing commit stores it.
    public func createReferral(friend: String) throws {
        guard closesSession else { return }
        guard let pattern = referralCodePattern else {
            throw EffectError("createReferral: the campaign does not have the referrals feature")
        }
        guard let advocate = session.profileId, !advocate.isEmpty else {
            throw EffectError("createReferral: the session has no customer profile to be the advocate")
        }
        guard friend != advocate else {
            throw EffectError("createReferral: the friend cannot be the advocate")
        }
        pendingEffects.append(Effect(origin: origin, kind: .referralCreated(ReferralCreation(
            code: pattern.randomCode(), advocateProfileIntegrationId: advocate,
            friendProfileIntegrationId: friend.isEmpty ? nil : friend
        ))))
    }
}
