import Foundation

/// A segment of customers (account-wide, by profile integration id) that rules can target and change.
public struct Audience: Sendable, Hashable {
    public var id: Int64
    public var accountId: Int64
    public var name: String
    public var description: String?
    public var sandbox: Bool
    /// The third-party platform the audience comes from (`mparticle`, `segment`, …) and its id there.
    public var integration: String?
    public var integrationId: String?
    public var createdIn3rdParty: Bool?
    public var lastUpdate: Date?
    public var created: Date

    public init(id: Int64, accountId: Int64, name: String, sandbox: Bool = false, created: Date) {
        (self.id, self.accountId, self.name, self.sandbox, self.created) = (id, accountId, name, sandbox, created)
    }
}

/// One profile joining or leaving one audience.
public struct AudienceMembershipChange: Sendable, Hashable {
    public var audienceId: Int64
    public var profileIntegrationId: String
    /// true: join; false: leave.
    public var joins: Bool

    public init(audienceId: Int64, profileIntegrationId: String, joins: Bool) {
        (self.audienceId, self.profileIntegrationId, self.joins) = (audienceId, profileIntegrationId, joins)
    }
}

/// The props of `addToAudience` and `removeFromAudience`.
public struct AudienceEffect: Sendable, Hashable {
    public var audienceId: Int64
    /// Filled in by the service from the stored audience (the engine knows ids only).
    public var audienceName: String
    public var profileIntegrationId: String
    public var profileId: Int64

    public init(audienceId: Int64, audienceName: String = "", profileIntegrationId: String, profileId: Int64) {
        (self.audienceId, self.audienceName, self.profileIntegrationId, self.profileId) =
            (audienceId, audienceName, profileIntegrationId, profileId)
    }
}

extension Effect {
    public static func addToAudience(_ origin: EffectOrigin, _ props: AudienceEffect) -> Effect {
        Effect(origin: origin, kind: .addToAudience(props))
    }

    public static func removeFromAudience(_ origin: EffectOrigin, _ props: AudienceEffect) -> Effect {
        Effect(origin: origin, kind: .removeFromAudience(props))
    }

    /// The membership an `addToAudience` / `removeFromAudience` effect asks for; nil for every other effect.
    public var audienceMembershipChange: AudienceMembershipChange? {
        switch kind {
        case .addToAudience(let props):
            AudienceMembershipChange(audienceId: props.audienceId, profileIntegrationId: props.profileIntegrationId,
                                     joins: true)
        case .removeFromAudience(let props):
            AudienceMembershipChange(audienceId: props.audienceId, profileIntegrationId: props.profileIntegrationId,
                                     joins: false)
        default: nil
        }
    }
}

extension RuleScope {
    /// `profileInAudience`: the session's profile is a member of the audience (as stored before this request).
    public func profileInAudience(_ audienceId: Int64) -> Bool { audienceIds.contains(audienceId) }

    /// `addToAudience` / `removeFromAudience`: a profile is needed; an anonymous session changes nothing.
    public func changeAudience(_ audienceId: Int64, joins: Bool) throws {
        guard let profileId = session.profileId ?? profile?.integrationId, !profileId.isEmpty else {
            throw EffectError("\(joins ? "addToAudience" : "removeFromAudience"): the session has no customer profile")
        }
        let props = AudienceEffect(audienceId: audienceId, profileIntegrationId: profileId, profileId: profile?.id ?? 0)
        pendingEffects.append(joins ? .addToAudience(origin, props) : .removeFromAudience(origin, props))
    }
}
