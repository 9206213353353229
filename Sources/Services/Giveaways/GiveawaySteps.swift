import Foundation
import PromotionEngine
import Storage

/// Giveaway steps of a session commit: the pool names the effects carry (the engine knows pools by id only), and
/// for a closing session the claims that take the codes in the commit's transaction.
enum GiveawaySteps {
    /// Read only when the rules announced awards. An award from a pool that is not the account's, or not enabled
    /// for the application, is dropped: like Talon.One, the rule can only award from the application's pools.
    static func prepare(_ commit: inout SessionCommit, store: any Store, application: Application) async throws {
        let poolIds = Set(commit.effects.compactMap { $0.pendingGiveawayAward?.poolId })
        guard !poolIds.isEmpty else { return }
        var pools: [Int64: GiveawaysPool] = [:]
        for id in poolIds {
            if let pool = try? await store.giveawaysPool(id: id, accountId: application.accountId),
               pool.subscribedApplicationIds.contains(application.id)
            {
                pools[id] = pool
            }
        }
        func named(_ effects: [Effect]) -> [Effect] {
            effects.compactMap { effect in
                guard var award = effect.pendingGiveawayAward else { return effect }
                guard let pool = pools[award.poolId] else { return nil }
                award.poolName = pool.name
                var effect = effect
                effect.kind = .willAwardGiveaway(award)
                return effect
            }
        }
        commit.effects = named(commit.effects)
        commit.event.effects = named(commit.event.effects)
        if commit.event.type == .sessionClosed {
            commit.giveawayClaims = commit.effects.compactMap(\.pendingGiveawayAward).map {
                GiveawayClaim(poolId: $0.poolId, recipientIntegrationId: $0.recipientIntegrationId)
            }
        }
    }
}
