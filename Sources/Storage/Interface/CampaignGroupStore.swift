import Foundation
import PromotionEngine

/// Campaign groups of an account.
public protocol CampaignGroupStore: Sendable {
    func createCampaignGroup(accountId: Int64, settings: CampaignGroupSettings, now: Date) async throws -> CampaignGroup
    func campaignGroups(accountId: Int64, page: PageRequest) async throws -> Page<CampaignGroup>
    func campaignGroup(id: Int64, accountId: Int64) async throws -> CampaignGroup
    func updateCampaignGroup(id: Int64, accountId: Int64, settings: CampaignGroupSettings, now: Date) async throws
        -> CampaignGroup
    func deleteCampaignGroup(id: Int64, accountId: Int64) async throws
}
