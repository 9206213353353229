import Foundation
import GRDB
import PromotionEngine
import Storage

/// Loyalty and referral budgets (`createLoyaltyPoints`, `redeemLoyaltyPoints`, `redeemReferral`,
/// `createReferral`): the campaign's listed counters, and each budget counter one upsert whose `DO UPDATE … WHERE`
/// is the guard (``ActionCounterStatements``), touched after the campaign's row in ``ActionCounterKey`` order.
extension SQLiteStore {
    static func applyActionCounts(_ db: Database, _ delta: CampaignCounterDelta) throws {
        if let actions = delta.actions {
            var arguments = StatementArguments()
            for value in actions.storedDeltas + [delta.campaignId] { arguments += [value] }
            try db.cachedStatement(sql: ActionCounterStatements.moveCampaignCounts).execute(arguments: arguments)
        }
        for (change, amount, maximum, fitsAlone) in ActionCounterStatements.changes(of: delta) {
            guard fitsAlone else { throw StoreError.campaignLimitReached(campaignId: delta.campaignId) }
            try db.cachedStatement(sql: ActionCounterStatements.countInBudget).execute(arguments: [
                delta.campaignId, change.key.action.rawValue, change.profileId, change.key.periodKey, amount, maximum,
            ])
            guard db.changesCount == 1 else { throw StoreError.campaignLimitReached(campaignId: delta.campaignId) }
        }
    }

    /// What a campaign's loyalty and referral budgets used: its own counters and `profileId`'s, overall and in
    /// `periodKeys`; nil when the campaign has no such budget (nothing is read).
    static func actionCounters(_ db: Database, campaign: Campaign, profileId: String?, periodKeys: [String]) throws
        -> [ActionCounterKey: Decimal]?
    {
        guard campaign.settings.limits.contains(where: \.action.isCountedPerAction) else { return nil }
        let periods = [""] + periodKeys
        var arguments: StatementArguments = [campaign.id, profileId ?? ""]
        for key in periods { arguments += [key] }
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT action, profile_integration_id, period_key, used_units FROM campaign_action_counter
            WHERE campaign_id = ? AND profile_integration_id IN ('', ?)
                AND period_key IN (\(periods.map { _ in "?" }.joined(separator: ", ")))
            """), arguments: arguments)
        var counters: [ActionCounterKey: Decimal] = [:]
        for row in rows {
            let name: String = row["action"]
            guard let action = LimitAction(rawValue: name) else { continue }
            let holder: String = row["profile_integration_id"]
            counters[ActionCounterKey(action: action, perProfile: !holder.isEmpty, periodKey: row["period_key"])] =
                StoredMoney.decimal(row["used_units"])
        }
        return counters
    }
}
