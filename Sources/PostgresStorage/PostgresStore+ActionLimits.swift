import Foundation
import PromotionEngine
import Storage

/// Loyalty and referral budgets, as `SQLiteStore+ActionLimits` has them: the same statements
/// (``ActionCounterStatements``), each guard judged by `RETURNING`.
extension PostgresStore {
    static func applyActionCounts(_ db: Database, _ delta: CampaignCounterDelta) async throws {
        if let actions = delta.actions {
            let arguments: SQLArguments = (actions.storedDeltas + [delta.campaignId]).map { $0 }
            try await db.execute(ActionCounterStatements.moveCampaignCounts, arguments)
        }
        for (change, amount, maximum, fitsAlone) in ActionCounterStatements.changes(of: delta) {
            guard fitsAlone else { throw StoreError.campaignLimitReached(campaignId: delta.campaignId) }
            let counted = try await db.changes(ActionCounterStatements.countInBudget + " RETURNING 1", [
                delta.campaignId, change.key.action.rawValue, change.profileId, change.key.periodKey, amount, maximum,
            ])
            guard counted == 1 else { throw StoreError.campaignLimitReached(campaignId: delta.campaignId) }
        }
    }

    /// What a campaign's loyalty and referral budgets used: its own counters and `profileId`'s, overall and in
    /// `periodKeys`; nil when the campaign has no such budget (nothing is read).
    static func actionCounters(_ db: Database, campaign: Campaign, profileId: String?, periodKeys: [String])
        async throws -> [ActionCounterKey: Decimal]?
    {
        guard campaign.settings.limits.contains(where: \.action.isCountedPerAction) else { return nil }
        let rows = try await db.rows("""
            SELECT action, profile_integration_id, period_key, used_units FROM campaign_action_counter
            WHERE campaign_id = ? AND profile_integration_id IN ('', ?) AND period_key = ANY(?)
            """, [campaign.id, profileId ?? "", [""] + periodKeys])
        var counters: [ActionCounterKey: Decimal] = [:]
        for row in rows {
            guard let action = LimitAction(rawValue: try row["action"] as String) else { continue }
            let holder: String = try row["profile_integration_id"]
            counters[ActionCounterKey(action: action, perProfile: !holder.isEmpty, periodKey: try row["period_key"])] =
                StoredMoney.decimal(try row["used_units"])
        }
        return counters
    }
}
