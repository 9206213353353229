import Foundation
import PromotionEngine
import Storage

/// `responseContent: ["triggeredCampaigns"]`: the campaigns that produced effects, read only when asked for.
func triggeredCampaignBodies(_ ids: [Int64], applicationId: Int64, store: any Store) async throws -> [CampaignBody] {
    var bodies: [CampaignBody] = []
    for id in ids {
        if let campaign = try? await store.campaign(id: id, applicationId: applicationId) {
            bodies.append(CampaignBody(campaign))
        }
    }
    return bodies
}
