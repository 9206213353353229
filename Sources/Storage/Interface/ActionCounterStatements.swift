import Foundation
import PromotionEngine

/// The SQL both backends run for the loyalty and referral budgets (`?N` placeholders; PostgreSQL's helper numbers
/// them), so the guard is written once.
public enum ActionCounterStatements {
    /// The campaign's listed referral and loyalty counters, never below zero. Arguments: ``ActionCounts/storedDeltas``,
    /// then the campaign's id.
    public static let moveCampaignCounts: String = {
        let assignments = ActionCounts.storedColumns.enumerated().map { index, column in
            "\(column) = CASE WHEN \(column) + ?\(index + 1) > 0 THEN \(column) + ?\(index + 1) ELSE 0 END"
        }
        return "UPDATE campaign SET \(assignments.joined(separator: ", ")) WHERE id = ?\(ActionCounts.storedColumns.count + 1)"
    }()

    /// Moves one budget counter, creating it at its first use; the `DO UPDATE … WHERE` is the guard (a positive
    /// change only while `used + amount <= maximum`), so the statement changes no row when the budget would pass.
    /// Arguments: ``arguments(of:campaignId:)``.
    public static let countInBudget = """
        INSERT INTO campaign_action_counter AS c (campaign_id, action, profile_integration_id, period_key, used_units)
        VALUES (?1, ?2, ?3, ?4, CASE WHEN ?5 > 0 THEN ?5 ELSE 0 END)
        ON CONFLICT (campaign_id, action, profile_integration_id, period_key) DO UPDATE
        SET used_units = CASE WHEN c.used_units + ?5 > 0 THEN c.used_units + ?5 ELSE 0 END
        WHERE ?5 <= 0 OR CAST(?6 AS BIGINT) IS NULL OR c.used_units + ?5 <= ?6
        """

    /// The changes of `delta` in the order a commit applies them, each with its amount and maximum in
    /// ``StoredMoney`` units; `fitsAlone` is false for a change that passes its budget by itself (a new row starts
    /// from zero, so the statement's guard would not see it).
    public static func changes(of delta: CampaignCounterDelta)
        -> [(change: ActionCounterChange, amount: Int64, maximum: Int64?, fitsAlone: Bool)]
    {
        (delta.actionCounters ?? []).sorted { ($0.key, $0.profileId) < ($1.key, $1.profileId) }.map { change in
            let amount = StoredMoney.units(change.amount)
            let maximum = change.maximum.map(StoredMoney.limitUnits)
            return (change, amount, maximum, maximum.map { amount <= $0 } ?? true)
        }
    }
}

extension ActionCounts {
    /// The `campaign` columns that keep these counts, in the order of ``storedDeltas``.
    static let storedColumns = [
        "referral_redemption_count", "referral_creation_count", "created_loyalty_points_units",
        "created_loyalty_points_effect_count", "redeemed_loyalty_points_units", "redeemed_loyalty_points_effect_count",
    ]

    /// The counts as stored: points in ``StoredMoney`` units.
    public var storedDeltas: [Int64] {
        [Int64(referralRedemptions), Int64(referralCreations), StoredMoney.units(createdLoyaltyPoints),
         Int64(createdLoyaltyPointsEffects), StoredMoney.units(redeemedLoyaltyPoints),
         Int64(redeemedLoyaltyPointsEffects)]
    }

    /// Reads the counts back from a campaign row's columns (`value(column)`), into `counters`.
    public static func read(into counters: inout CampaignCounters, _ value: (String) throws -> Int64) rethrows {
        counters.referralRedemptionCount = Int(try value(storedColumns[0]))
        counters.referralCreationCount = Int(try value(storedColumns[1]))
        counters.createdLoyaltyPoints = StoredMoney.decimal(try value(storedColumns[2]))
        counters.createdLoyaltyPointsEffectCount = Int(try value(storedColumns[3]))
        counters.redeemedLoyaltyPoints = StoredMoney.decimal(try value(storedColumns[4]))
        counters.redeemedLoyaltyPointsEffectCount = Int(try value(storedColumns[5]))
    }
}
