import PromotionEngine
import Storage

/// An application's lineup with one campaign running a draft ruleset instead of its active one: what a dry
/// evaluation "against the draft" sees. The campaign counts as enabled, so a marketer can try it before
/// switching it on; everything else (other campaigns, the evaluation tree, budgets) is as stored.
public struct DraftCampaignCatalog: CampaignCatalog {
    let base: any CampaignCatalog
    let draft: RunnableCampaign
    let cascading: Bool

    public init(base: any CampaignCatalog, draft: RunnableCampaign, cascading: Bool) {
        self.base = base
        self.draft = draft
        self.cascading = cascading
    }

    public func lineup(applicationId: Int64) async throws -> CampaignLineup {
        let stored = try await base.lineup(applicationId: applicationId)
        var runnable = draft
        runnable.campaign.settings.state = .enabled
        var programs = stored.programs.filter { $0.campaignId != draft.campaign.id }
        programs.append(try StoredCampaignCatalog.program(runnable, cascading: cascading))
        programs.sort { $0.campaignId < $1.campaignId }
        var lineup = CampaignLineup(programs: programs, evaluationTree: stored.evaluationTree)
        lineup.additionalCostIds = stored.additionalCostIds
        lineup.additionalCostScopes = stored.additionalCostScopes
        lineup.customEffectIds = stored.customEffectIds
        lineup.collections = stored.collections
        lineup.webhooks = stored.webhooks
        return lineup
    }
}
