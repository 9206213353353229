import Foundation
import PromotionEngine

public struct CampaignTemplateFilter: Sendable {
    public var state: CampaignTemplateState?
    public var name: String?
    public var tags: [String] = []
    public var userId: Int64?

    public init() {}
}

/// Campaign templates of an account.
public protocol CampaignTemplateStore: Sendable {
    func createCampaignTemplate(accountId: Int64, userId: Int64, settings: CampaignTemplateSettings, now: Date)
        async throws -> CampaignTemplate
    func campaignTemplate(id: Int64, accountId: Int64) async throws -> CampaignTemplate
    func campaignTemplates(accountId: Int64, filter: CampaignTemplateFilter, page: PageRequest) async throws
        -> Page<CampaignTemplate>
    /// The campaign and its first, active ruleset, written in one transaction (a template's campaign never
    /// exists without its rules).
    func createCampaign(applicationId: Int64, userId: Int64, settings: CampaignSettings, rules: [RuleDefinition],
                        bindings: [JSONValue], now: Date) async throws -> (Campaign, Ruleset)
}
