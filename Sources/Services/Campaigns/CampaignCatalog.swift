import PromotionEngine

/// Where the session service gets an application's runnable campaigns, compiled.
///
/// The implementation caches compiled programs per application and drops them when a campaign or
/// ruleset changes, so nothing is compiled on the request path.
public protocol CampaignCatalog: Sendable {
    func lineup(applicationId: Int64) async throws -> CampaignLineup
}

/// An application's compiled campaigns and the tree that decides how they combine.
public struct CampaignLineup: Sendable {
    public let programs: [CampaignProgram]
    /// nil: every campaign stacks, in `programs` order.
    public var evaluationTree: EvaluationGroup?
    /// The programs indexed by what they need, so an evaluation visits only those that can apply.
    public var campaignIndex: CampaignIndex
    /// The account's additional costs this application may use, by name (their ids go into discount effects).
    public var additionalCostIds: [String: Int64] = [:]
    /// Where each of those costs may be set (session, cart item or both): sessions naming others are refused.
    public var additionalCostScopes: [String: AdditionalCostScope] = [:]
    /// The account's custom effects the campaigns emit, by name (`customEffect.props.effectId`).
    public var customEffectIds: [String: Int64] = [:]
    /// The webhooks the rules may trigger, by id (`triggerWebhook`; the commit renders their requests).
    public var webhooks: [Int64: Webhook] = [:]
    /// The collections the rules may use, as sets.
    public var collections = CollectionSets()
    /// The cart item catalogs the application is subscribed to, preferred in this order.
    public var catalogIds: [Int64] = []
    /// Cart items are completed from the catalogs only when there are catalogs and an enabled campaign to read them:
    /// other session updates make no extra round trip.
    public var usesCatalog: Bool { !catalogIds.isEmpty && programs.contains(where: \.enabled) }
    /// Some rule reads or moves loyalty points: only then does a session update read the holder's standings.
    public let usesLoyalty: Bool
    /// Campaigns with budgets, whose counters a snapshot must read fresh (worked out once, not per request).
    public let budgetedCampaignIds: [Int64]
    /// Some budget counts per calendar period: snapshots then read the current periods' counters too.
    public let usesPeriodBudgets: Bool
    /// Some rule tests audience membership: only then does a session read its profile's memberships.
    public let usesAudiences: Bool
    /// Some rule reads or moves achievement progress: only then does a session read the profile's trackers.
    public let usesAchievements: Bool

    /// A campaign's program without scanning the lineup (the close path looks up only the campaigns it counts).
    public func program(campaignId: Int64) -> CampaignProgram? {
        campaignIndex.position(ofCampaign: campaignId).map { programs[$0] }
    }

    public init(programs: [CampaignProgram], evaluationTree: EvaluationGroup? = nil) {
        self.programs = programs
        self.evaluationTree = evaluationTree
        campaignIndex = CampaignIndex(programs)
        budgetedCampaignIds = programs.filter { !$0.limits.isEmpty }.map(\.campaignId)
        usesPeriodBudgets = programs.contains { program in
            program.limits.contains { $0.period != nil }
        }
        usesAudiences = programs.contains { program in
            program.rules.contains { $0.calledFunctions.contains("profileInAudience") }
        }
        usesAchievements = programs.contains { program in
            program.rules.contains { !$0.calledFunctions.isDisjoint(with: EngineLanguage.achievementFunctions) }
        }
        usesLoyalty = programs.contains { program in
            program.rules.contains { !$0.calledFunctions.isDisjoint(with: EngineLanguage.loyaltyFunctions) }
        }
    }
}

/// A catalog with fixed programs (tests, and applications without campaigns).
public struct StaticCampaignCatalog: CampaignCatalog {
    let programsByApplication: [Int64: [CampaignProgram]]

    public init(_ programsByApplication: [Int64: [CampaignProgram]] = [:]) {
        self.programsByApplication = programsByApplication
    }

    public func lineup(applicationId: Int64) async throws -> CampaignLineup {
        CampaignLineup(programs: programsByApplication[applicationId] ?? [])
    }
}
