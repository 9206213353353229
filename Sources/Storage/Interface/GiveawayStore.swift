import Foundation
import PromotionEngine

/// A code a session's commit is to take from a pool (a closing session's `willAwardGiveaway`).
public struct GiveawayClaim: Sendable, Hashable {
    public var poolId: Int64
    public var recipientIntegrationId: String
    /// The recipient's profile id, when the profile exists (0: none).
    public var profileId: Int64

    public init(poolId: Int64, recipientIntegrationId: String, profileId: Int64 = 0) {
        (self.poolId, self.recipientIntegrationId, self.profileId) = (poolId, recipientIntegrationId, profileId)
    }
}

/// Filters of a pool's export.
public struct GiveawayFilter: Sendable, Hashable {
    public var createdBefore: Date?
    public var createdAfter: Date?
    /// Keyset paging: only ids above this one.
    public var afterId: Int64?

    public init(createdBefore: Date? = nil, createdAfter: Date? = nil) {
        (self.createdBefore, self.createdAfter) = (createdBefore, createdAfter)
    }

    /// The `created` conditions (each ` AND …` with a `?`) and their dates, for both backends' queries.
    public var createdConditions: (sql: String, dates: [Date]) {
        var sql = ""
        var dates: [Date] = []
        if let createdBefore { sql += " AND created < ?"; dates.append(createdBefore) }
        if let createdAfter { sql += " AND created > ?"; dates.append(createdAfter) }
        return (sql, dates)
    }
}

/// Giveaway pools of an account and their codes.
public protocol GiveawayStore: Sendable {
    /// Inserts the pool (its `id` is ignored).
    func createGiveawaysPool(_ pool: GiveawaysPool) async throws -> GiveawaysPool
    func giveawaysPool(id: Int64, accountId: Int64) async throws -> GiveawaysPool
    func giveawaysPools(accountId: Int64, page: PageRequest) async throws -> (pools: [GiveawaysPool], hasMore: Bool)
    /// Adds the codes to the pool in one transaction (all or nothing), under one new import id; returns it.
    func importGiveaways(_ giveaways: [Giveaway], poolId: Int64, accountId: Int64, now: Date) async throws -> Int64
    /// A page of the pool's codes in id order.
    func giveaways(poolId: Int64, accountId: Int64, filter: GiveawayFilter, pageSize: Int) async throws
        -> (giveaways: [Giveaway], hasMore: Bool)
    /// The codes awarded to a profile in the application's sessions, oldest first.
    func awardedGiveaways(applicationId: Int64, profileIntegrationId: String, limit: Int) async throws -> [Giveaway]
}

extension GiveawayStore {
    /// Every code of the pool the filter names, a page at a time (keyset paging: only one page in memory).
    public func forEachGiveawayPage(poolId: Int64, accountId: Int64, filter: GiveawayFilter, pageSize: Int = 1000,
                                    _ body: ([Giveaway]) async throws -> Void) async throws
    {
        var filter = filter
        while true {
            let (page, hasMore) = try await giveaways(poolId: poolId, accountId: accountId, filter: filter,
                                                      pageSize: pageSize)
            if !page.isEmpty { try await body(page) }
            guard hasMore, let last = page.last else { return }
            filter.afterId = last.id
        }
    }
}

/// How a commit's claims turn its effects: each `willAwardGiveaway` the claims came from becomes an
/// `awardGiveaway` with the code taken, or disappears when its pool was empty (Talon.One's effect needs a code).
public enum GiveawayAwards {
    public static func apply(_ awarded: [Giveaway?], to effects: [Effect]) -> [Effect] {
        var remaining = awarded[...]
        return effects.compactMap { effect in
            guard var award = effect.pendingGiveawayAward else { return effect }
            guard let next = remaining.popFirst() else { return effect }
            guard let giveaway = next else { return nil }
            award.giveawayId = giveaway.id
            award.code = giveaway.code
            var effect = effect
            effect.kind = .awardGiveaway(award)
            return effect
        }
    }
}

extension CommittedSession {
    /// Keeps what a commit's claims took: the codes, and the effects as stored with them.
    public mutating func recordAwards(_ awarded: [Giveaway?], of commit: SessionCommit) {
        guard !awarded.isEmpty else { return }
        awardedGiveaways = awarded.compactMap { $0 }
        effects = GiveawayAwards.apply(awarded, to: commit.effects)
    }
}
