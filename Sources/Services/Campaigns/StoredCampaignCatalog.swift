import Foundation
import PromotionEngine
import Storage
import Synchronization

/// Compiled campaign programs per application, built from the store and cached until the application's
/// campaign revision changes (any campaign or ruleset change, on any node, bumps it).
public actor StoredCampaignCatalog: CampaignCatalog {
    private let store: any Store
    private struct Entry: Sendable {
        var revision: Int64
        var lineup: CampaignLineup
        var freshness = CacheFreshness()
    }

    /// Read without entering the actor: a fresh entry is answered on the request's own thread.
    private let cache = Mutex<[Int64: Entry]>([:])
    private let loads = SharedLoads<Int64, Entry>()
    /// How many lineups this catalog compiled (tests check that concurrent misses compile once).
    public private(set) var compilations = 0

    public init(store: any Store) {
        self.store = store
    }

    public nonisolated func lineup(applicationId: Int64) async throws -> CampaignLineup {
        let cached = cache.withLock { $0[applicationId] }
        if let cached, !cached.freshness.needsCheck { return cached.lineup }
        return try await refreshedLineup(applicationId: applicationId, cached: cached)
    }

    private func refreshedLineup(applicationId: Int64, cached: Entry?) async throws -> CampaignLineup {
        let entry = try await loads.value(for: applicationId) { [self] in try await load(applicationId: applicationId, cached: cached) }
        cache.withLock { $0[applicationId] = entry }
        return entry.lineup
    }

    /// The cached entry if the application's campaign revision has not moved, else a newly compiled one.
    private func load(applicationId: Int64, cached: Entry?) async throws -> Entry {
        let revision = try await store.campaignRevision(applicationId: applicationId)
        if var cached, cached.revision == revision {
            cached.freshness.markChecked()
            return cached
        }
        let application = try await store.application(id: applicationId, accountId: try await accountId(applicationId))
        let runnables = try await store.runnableCampaigns(applicationId: applicationId)
        let programs = runnables.compactMap { runnable in
            try? Self.program(runnable, cascading: application.settings.enableCascadingDiscounts ?? false)
        }
        let customEffects = runnables.reduce(into: Set<String>()) { names, runnable in
            names.formUnion(RulesetCompiler.customEffectNames(runnable.ruleset.rules))
        }
        // Read after the revision: a tree saved in between bumps it again, so the next check reloads.
        let tree = try await store.campaignSet(applicationId: applicationId)?.tree
        var lineup = CampaignLineup(programs: programs, evaluationTree: tree)
        let additionalCosts = try await store.applicationAdditionalCosts(applicationId: applicationId)
        for cost in additionalCosts {
            lineup.additionalCostIds[cost.settings.name] = cost.id
            lineup.additionalCostScopes[cost.settings.name] = cost.settings.type ?? .session
        }
        lineup.customEffectIds = try await store.customEffectIds(applicationId: applicationId, names: customEffects)
        lineup.collections = try await store.collectionSets(applicationId: applicationId)
        lineup.webhooks = try await store.webhooks(applicationId: applicationId)
        lineup.catalogIds = try await store.catalogIds(applicationId: applicationId)
        compilations += 1
        var entry = Entry(revision: revision, lineup: lineup)
        entry.freshness.markChecked()
        return entry
    }

    /// Every application's lineup compiled now (before a node reports ready), so first requests do not wait.
    public func warm(applicationIds: [Int64]) async throws {
        for id in applicationIds { _ = try await lineup(applicationId: id) }
    }

    /// Rulesets are checked when saved, so compiling them cannot fail; one that does (written by an older
    /// version) is left out rather than failing every request.
    static func program(_ runnable: RunnableCampaign, cascading: Bool) throws -> CampaignProgram {
        let campaign = runnable.campaign
        var program = CampaignProgram(
            campaignId: campaign.id, rulesetId: runnable.ruleset.id, name: campaign.settings.name,
            enabled: campaign.settings.state == .enabled, startTime: campaign.settings.startTime,
            endTime: campaign.settings.endTime, usesCoupons: campaign.settings.features.contains(.coupons),
            limits: campaign.settings.limits, rules: try RulesetCompiler.compile(runnable.ruleset.rules, cascading: cascading)
        )
        if campaign.settings.features.contains(.referrals) { program.referralCodePattern = campaign.referralCodePattern() }
        return program
    }

    private func accountId(_ applicationId: Int64) async throws -> Int64 {
        // Applications are looked up by account; the catalog works for the application's own account.
        try await store.applicationAccountId(applicationId: applicationId)
    }
}
