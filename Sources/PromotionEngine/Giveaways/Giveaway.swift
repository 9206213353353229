import Foundation

/// A pool of codes made outside Sconto (gift cards, vouchers), handed out one per award by rules.
public struct GiveawaysPool: Sendable, Hashable {
    public var id: Int64
    public var accountId: Int64
    public var name: String
    public var description: String?
    /// The applications whose rules may award from the pool.
    public var subscribedApplicationIds: [Int64]
    public var sandbox: Bool
    public var created: Date
    public var createdBy: Int64
    public var modified: Date?

    public init(id: Int64, accountId: Int64, name: String, subscribedApplicationIds: [Int64] = [], sandbox: Bool = false,
                created: Date, createdBy: Int64)
    {
        (self.id, self.accountId, self.name, self.subscribedApplicationIds, self.sandbox, self.created, self.createdBy) =
            (id, accountId, name, subscribedApplicationIds, sandbox, created, createdBy)
    }
}

/// One code of a pool; `awardedTo` is set once, by the commit that hands it out.
public struct Giveaway: Sendable, Hashable {
    public var id: Int64
    public var poolId: Int64
    public var code: String
    /// Only the rule engine's business: Talon.One's rules may look at them; they are not a validity.
    public var startDate: Date?
    public var endDate: Date?
    public var attributes: [String: JSONValue]
    public var importId: Int64
    public var created: Date
    public var awardedTo: String?
    public var awardedProfileId: Int64?
    public var awarded: Date?

    public var used: Bool { awardedTo != nil }

    public init(id: Int64, poolId: Int64, code: String, attributes: [String: JSONValue] = [:], importId: Int64 = 0,
                created: Date)
    {
        (self.id, self.poolId, self.code, self.attributes, self.importId, self.created) =
            (id, poolId, code, attributes, importId, created)
    }
}

/// The props of `awardGiveaway` (code and id set) and `willAwardGiveaway` (an open session: no code is taken).
public struct GiveawayAward: Sendable, Hashable {
    public var poolId: Int64
    /// Filled in by the service from the stored pool (the engine knows ids only).
    public var poolName: String
    public var recipientIntegrationId: String
    public var giveawayId: Int64
    public var code: String

    public init(poolId: Int64, poolName: String = "", recipientIntegrationId: String, giveawayId: Int64 = 0,
                code: String = "")
    {
        (self.poolId, self.poolName, self.recipientIntegrationId, self.giveawayId, self.code) =
            (poolId, poolName, recipientIntegrationId, giveawayId, code)
    }
}

extension Effect {
    /// The award a `willAwardGiveaway` effect announces; nil for every other effect.
    public var pendingGiveawayAward: GiveawayAward? {
        if case .willAwardGiveaway(let award) = kind { award } else { nil }
    }
}

extension RuleScope {
    /// `awardGiveaway`: one code of the pool for a profile. The engine only announces it (`willAwardGiveaway`);
    /// the commit that closes the session takes the code, so an open session never leaks one.
    public func awardGiveaway(poolId: Int64, recipient: String) throws {
        let recipient = recipient.isEmpty ? (session.profileId ?? profile?.integrationId ?? "") : recipient
        guard !recipient.isEmpty else {
            throw EffectError("awardGiveaway: the session has no customer profile to award to")
        }
        pendingEffects.append(Effect(origin: origin, kind: .willAwardGiveaway(
            GiveawayAward(poolId: poolId, recipientIntegrationId: recipient)
        )))
    }
}
