import Foundation
import PromotionEngine

/// The membership SQL both backends run (`loyalty_membership`: one row per holder and (sub)ledger; the main
/// ledger's row carries the join date), and the decisions around it, so that both write the same rows.
public enum LoyaltyMembershipStatements {
    /// Joins the holder at the date given unless it has a join date.
    public static let recordJoin = """
        INSERT INTO loyalty_membership (program_id, holder_kind, holder, subledger_id, joined) VALUES (?, ?, ?, '', ?)
        ON CONFLICT (program_id, holder_kind, holder, subledger_id)
        DO UPDATE SET joined = excluded.joined WHERE loyalty_membership.joined IS NULL
        """

    /// Sets the holder's join date (an import replaces the stored one).
    public static let setJoin = """
        INSERT INTO loyalty_membership (program_id, holder_kind, holder, subledger_id, joined) VALUES (?, ?, ?, '', ?)
        ON CONFLICT (program_id, holder_kind, holder, subledger_id) DO UPDATE SET joined = excluded.joined
        """

    /// Sets (or with NULLs clears) the holder's tier in a (sub)ledger.
    public static let setTier = """
        INSERT INTO loyalty_membership (program_id, holder_kind, holder, subledger_id, tier_name, tier_start, tier_expiry)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (program_id, holder_kind, holder, subledger_id)
        DO UPDATE SET tier_name = excluded.tier_name, tier_start = excluded.tier_start, tier_expiry = excluded.tier_expiry
        """

    public static let membership = """
        SELECT subledger_id, joined, tier_name, tier_start, tier_expiry FROM loyalty_membership
        WHERE program_id = ? AND holder_kind = ? AND holder = ?
        """

    public static let activePoints = """
        SELECT subledger_id, active_units FROM loyalty_balance WHERE program_id = ? AND holder_kind = ? AND holder = ?
        """

    /// A customer profile of one of the program's applications.
    public static let profileExists = """
        SELECT COUNT(*) FROM customer_profile WHERE integration_id = ? AND application_id IN
            (SELECT application_id FROM loyalty_program_application WHERE program_id = ?)
        """

    /// Holders whose tier fell due for reevaluation.
    public static let dueTiers = """
        SELECT DISTINCT program_id, holder_kind, holder FROM loyalty_membership WHERE tier_expiry <= ?
        ORDER BY program_id, holder_kind, holder
        """

    /// A page of membership rows after (holder, subledger), with the ledger's active points.
    public static let members = """
        SELECT m.holder, m.subledger_id, m.joined, m.tier_name, m.tier_start, m.tier_expiry,
            COALESCE(b.active_units, 0) AS active_units
        FROM loyalty_membership m LEFT JOIN loyalty_balance b ON b.program_id = m.program_id
            AND b.holder_kind = m.holder_kind AND b.holder = m.holder AND b.subledger_id = m.subledger_id
        WHERE m.program_id = ? AND m.holder_kind = ? AND (m.holder > ? OR (m.holder = ? AND m.subledger_id > ?))
        ORDER BY m.holder, m.subledger_id LIMIT ?
        """

    /// Members at a day's end (`?1`) and those who joined on it (from `?2`), of program `?3`.
    public static let dashboardMembers = """
        SELECT CAST(COUNT(*) AS BIGINT) AS members,
            CAST(COALESCE(SUM(CASE WHEN joined >= ?2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS new_members
        FROM loyalty_membership WHERE program_id = ?3 AND subledger_id = '' AND joined < ?1
        """

    /// A day's figures from the ledger alone: balances as of the day's end `?1` (an addition counts as active
    /// from its start, or its creation), the day's (from `?2`) movements, of program `?3` (and subledger `?4`).
    /// `activated` is the backend's test of the `activated` column.
    public static func dashboardDay(activated: String, subledger: Bool) -> String {
        let counted = "CASE WHEN amount_units > 0 THEN COALESCE(start_date, created) ELSE created END"
        func sum(_ condition: String, _ value: String = "amount_units") -> String {
            "SUM(CASE WHEN \(condition) THEN \(value) ELSE 0 END)"
        }
        func day(_ kinds: String) -> String { "created >= ?2 AND created < ?1 AND kind IN (\(kinds))" }
        func total(_ column: String) -> String { "CAST(COALESCE(SUM(\(column)), 0) AS BIGINT) AS \(column)" }
        return """
            SELECT CAST(COALESCE(SUM(CASE WHEN active > 0 THEN active ELSE 0 END), 0) AS BIGINT) AS active_total,
                CAST(COALESCE(SUM(CASE WHEN active < 0 THEN -active ELSE 0 END), 0) AS BIGINT) AS negative_total,
                \(total("pending")), \(total("spent")), \(total("expired")), \(total("earned_manually")),
                \(total("earned_by_rules")), \(total("spent_manually")), \(total("spent_by_rules"))
            FROM (
                SELECT \(sum("(\(activated)) AND \(counted) < ?1")) AS active,
                    \(sum("created < ?1 AND ((amount_units > 0 AND (NOT (\(activated)) OR \(counted) >= ?1)) OR (amount_units < 0 AND NOT (\(activated))))")) AS pending,
                    \(sum("created < ?1 AND kind IN ('spend', 'deduct', 'rollback_spend')", "-amount_units")) AS spent,
                    \(sum("created < ?1 AND kind = 'expire'", "-amount_units")) AS expired,
                    \(sum(day("'add', 'import'"))) AS earned_manually,
                    \(sum(day("'earn'"))) AS earned_by_rules,
                    \(sum(day("'deduct'"), "-amount_units")) AS spent_manually,
                    \(sum(day("'spend'"), "-amount_units")) AS spent_by_rules
                FROM loyalty_ledger WHERE program_id = ?3\(subledger ? " AND subledger_id = ?4" : "")
                GROUP BY holder_kind, holder, subledger_id
            ) AS holders
            """
    }

    /// Whether a change of the holder's points joins it, as `programJoinPolicy` says: `points_earned` (the
    /// default) when points are added, `points_activated` when added points become active, never `not_join`.
    public static func joins(_ program: LoyaltyProgram, added: Bool, activated: Bool) -> Bool {
        switch program.settings.programJoinPolicy {
        case "not_join": false
        case "points_activated": activated
        default: added
        }
    }

    /// The (sub)ledgers whose stored tier changes when the holder's points are now `activePoints`.
    public static func tierChanges(_ program: LoyaltyProgram, _ membership: LoyaltyMembership,
                                   activePoints: [String: Decimal], now: Date)
        -> [(subledgerId: String, tier: LoyaltyTierStanding?)]
    {
        // Tiers the program no longer defines are cleared.
        guard !program.tiers.isEmpty else { return membership.tiers.keys.sorted().map { ($0, nil) } }
        return Set(activePoints.keys).union(membership.tiers.keys).sorted().compactMap { subledger in
            let stored = membership.tiers[subledger]
            let settled = program.settledTier(stored, points: activePoints[subledger] ?? 0, joined: membership.joined,
                                              now: now)
            return settled == stored ? nil : (subledger, settled)
        }
    }

    /// The tier a `changeLoyaltyTierLevel` or an import puts the holder in: a holder already in it keeps its start.
    public static func assigned(_ program: LoyaltyProgram, _ membership: LoyaltyMembership, subledgerId: String,
                                tierName: String, expiry: Date?? = nil, now: Date) -> LoyaltyTierStanding
    {
        let stored = membership.tiers[subledgerId]
        let start = stored?.name == tierName ? stored?.start ?? now : now
        let expiry = expiry ?? program.tierExpiry(enteredAt: start, joined: membership.joined ?? now)
        return LoyaltyTierStanding(name: tierName, start: start, expiry: expiry)
    }
}

/// The holders a transaction's ledger steps changed, to settle their memberships once each at its end, in a
/// fixed order (program, holder), and whether points were added to them or became active.
public struct LoyaltyMembershipChanges: Sendable {
    public struct Change: Sendable {
        public var programId: Int64
        public var holder: LoyaltyHolder
        public var added = false
        public var activated = false
        /// When the holder joins if it does: its earliest addition's creation (nil: the transaction's time).
        public var joinDate: Date?
        /// A stored tier fell due: its membership is read even if the program no longer has tiers.
        public var tierDue = false
    }

    private var changes: [String: Change] = [:]

    public init() {}

    public mutating func note(_ programId: Int64, _ holder: LoyaltyHolder, added: Bool = false, activated: Bool = false,
                              at date: Date? = nil, tierDue: Bool = false)
    {
        let key = "\(programId)\u{0}\(holder.kind)\u{0}\(holder.identifier)"
        var change = changes[key] ?? Change(programId: programId, holder: holder)
        change.added = change.added || added
        change.activated = change.activated || activated
        change.tierDue = change.tierDue || tierDue
        if let date, change.joinDate.map({ date < $0 }) ?? true { change.joinDate = date }
        changes[key] = change
    }

    public var all: [Change] { changes.sorted { $0.key < $1.key }.map(\.value) }
}

extension LoyaltyProgramTotals {
    /// The ledger's sums (StoredMoney units) from a report row whose columns are named as both backends' report
    /// statements name them: `pending`, `spent`, `expired`, `earned_manually`, `earned_by_rules`,
    /// `spent_manually`, `spent_by_rules`.
    public mutating func readLedgerSums(_ units: (String) throws -> Int64) rethrows {
        balance.pendingPoints = StoredMoney.decimal(try units("pending"))
        balance.spentPoints = StoredMoney.decimal(try units("spent"))
        balance.expiredPoints = StoredMoney.decimal(try units("expired"))
        earnedManually = StoredMoney.decimal(try units("earned_manually"))
        earnedByRules = StoredMoney.decimal(try units("earned_by_rules"))
        spentManually = StoredMoney.decimal(try units("spent_manually"))
        spentByRules = StoredMoney.decimal(try units("spent_by_rules"))
    }
}
