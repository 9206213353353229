import Foundation
import PromotionEngine

/// The account's additional cost definitions. Names are unique per account (`conflict` otherwise); a change
/// bumps the campaign revision of the account's applications, whose compiled lineups carry the ids.
public protocol AdditionalCostStore: Sendable {
    func createAdditionalCost(accountId: Int64, settings: AdditionalCostSettings, now: Date) async throws
        -> AccountAdditionalCost
    func updateAdditionalCost(id: Int64, accountId: Int64, settings: AdditionalCostSettings) async throws
        -> AccountAdditionalCost
    func additionalCost(id: Int64, accountId: Int64) async throws -> AccountAdditionalCost
    func additionalCosts(accountId: Int64, page: PageRequest) async throws -> Page<AccountAdditionalCost>
    /// The additional costs an application's sessions may name (those subscribed to it or to every application).
    func applicationAdditionalCosts(applicationId: Int64) async throws -> [AccountAdditionalCost]
    /// The ids of the account's custom effects by name, registering the names not seen before: a custom effect is
    /// defined by the first ruleset that uses it, and keeps its id (`customEffect.props.effectId`).
    func customEffectIds(applicationId: Int64, names: Set<String>) async throws -> [String: Int64]
}

extension AdditionalCostStore {
    /// The ids of the additional costs an application's sessions may name, by name.
    public func additionalCostIds(applicationId: Int64) async throws -> [String: Int64] {
        Dictionary(try await applicationAdditionalCosts(applicationId: applicationId).map { ($0.settings.name, $0.id) },
                   uniquingKeysWith: { first, _ in first })
    }
}
