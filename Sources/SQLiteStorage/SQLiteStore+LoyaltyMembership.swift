import Foundation
import GRDB
import PromotionEngine
import Storage

private typealias Statements = LoyaltyMembershipStatements

extension SQLiteStore: LoyaltyMembershipStore {
    public func loyaltyMembership(programId: Int64, holder: LoyaltyHolder) async throws -> LoyaltyMembership {
        try await pool.read { db in
            _ = try Self.loyaltyProgram(db, id: programId)
            return try Self.loyaltyMembership(db, programId: programId, holder: holder)
        }
    }

    public func loyaltyMembers(programId: Int64, holderKind: String, after: (holder: String, subledgerId: String)?,
                               limit: Int) async throws -> [LoyaltyMemberRow]
    {
        try await pool.read { db in
            _ = try Self.loyaltyProgram(db, id: programId)
            let (holder, subledger) = after ?? ("", "")
            return try Row.fetchAll(db, sql: Statements.members,
                                    arguments: [programId, holderKind, holder, holder, subledger, limit]).map { row in
                LoyaltyMemberRow(holder: row["holder"], subledgerId: row["subledger_id"], joined: row.optionalDate("joined"),
                                 tier: Self.tier(row), activePoints: StoredMoney.decimal(row["active_units"]))
            }
        }
    }

    public func importLoyaltyTiers(programId: Int64, rows: [LoyaltyTierImport], now: Date) async throws {
        try await pool.write { db in
            let program = try Self.loyaltyProgram(db, id: programId)
            for (index, row) in rows.enumerated() {
                try Self.requireProfile(db, row.profileId, programId: programId, index: index)
                let holder = LoyaltyHolder.profile(row.profileId)
                let membership = try Self.loyaltyMembership(db, programId: programId, holder: holder)
                let tier = Statements.assigned(program, membership, subledgerId: row.subledgerId, tierName: row.tierName,
                                               expiry: .some(row.expiry), now: now)
                try Self.setTier(db, programId: programId, holder: holder, subledgerId: row.subledgerId, tier)
            }
        }
    }

    public func importLoyaltyJoinDates(programId: Int64, rows: [LoyaltyJoinDateImport]) async throws {
        try await pool.write { db in
            _ = try Self.loyaltyProgram(db, id: programId)
            for (index, row) in rows.enumerated() {
                try Self.requireProfile(db, row.profileId, programId: programId, index: index)
                try db.cachedStatement(sql: Statements.setJoin)
                    .execute(arguments: [programId, "profile", row.profileId, row.joined])
            }
        }
    }

    public func loyaltyDashboard(programId: Int64, subledgerId: String?, days: [DateInterval], now: Date)
        async throws -> [LoyaltyProgramTotals]
    {
        try await pool.write { db in
            _ = try Self.loyaltyProgram(db, id: programId)
            _ = try Self.recordDueLoyalty(db, now: now, holder: nil)
            let sql = Statements.dashboardDay(activated: "activated = 1", subledger: subledgerId != nil)
            return try days.map { day in
                var arguments: StatementArguments = [day.end, day.start, programId]
                if let subledgerId { arguments += [subledgerId] }
                let ledger = try Row.fetchOne(db, sql: sql, arguments: arguments)!
                let members = try Row.fetchOne(db, sql: Statements.dashboardMembers,
                                               arguments: [day.end, day.start, programId])!
                var totals = LoyaltyProgramTotals()
                totals.balance.activePoints = StoredMoney.decimal(ledger["active_total"])
                totals.balance.negativePoints = StoredMoney.decimal(ledger["negative_total"])
                totals.readLedgerSums { ledger[$0] }
                totals.members = Int(members["members"] as Int64)
                totals.newMembers = Int(members["new_members"] as Int64)
                return totals
            }
        }
    }

    // MARK: - Steps inside the ledger's transactions

    /// After a holder's points changed: its join date as the program's join policy says, and its tiers settled
    /// against its active points.
    static func settleMembership(_ db: Database, _ change: LoyaltyMembershipChanges.Change, now: Date) throws {
        let program = try loyaltyProgram(db, id: change.programId)
        let key: StatementArguments = [change.programId, change.holder.kind, change.holder.identifier]
        if Statements.joins(program, added: change.added, activated: change.activated) {
            try db.cachedStatement(sql: Statements.recordJoin).execute(arguments: key + [change.joinDate ?? now])
        }
        guard !program.tiers.isEmpty || change.tierDue else { return }
        let membership = try loyaltyMembership(db, programId: change.programId, holder: change.holder)
        var points: [String: Decimal] = [:]
        for row in try Row.fetchAll(db, sql: Statements.activePoints, arguments: key) {
            points[row["subledger_id"]] = StoredMoney.decimal(row["active_units"])
        }
        for (subledger, tier) in Statements.tierChanges(program, membership, activePoints: points, now: now) {
            try setTier(db, programId: change.programId, holder: change.holder, subledgerId: subledger, tier)
        }
    }

    static func settleMemberships(_ db: Database, _ changes: LoyaltyMembershipChanges, now: Date) throws {
        for change in changes.all { try settleMembership(db, change, now: now) }
    }

    /// Tiers whose expiry passed, reevaluated (the lifecycle worker's and program-wide reads' step).
    static func settleDueTiers(_ db: Database, now: Date) throws -> Int {
        var due = LoyaltyMembershipChanges()
        for row in try Row.fetchAll(db, sql: Statements.dueTiers, arguments: [now]) {
            let kind: String = row["holder_kind"]
            let holder: String = row["holder"]
            due.note(row["program_id"], kind == "card" ? .card(holder) : .profile(holder), tierDue: true)
        }
        try settleMemberships(db, due, now: now)
        return due.all.count
    }

    /// The close's `changeLoyaltyTierLevel` effects, after its entries.
    static func assignLoyaltyTiers(_ db: Database, _ assignments: [LoyaltyTierAssignment], now: Date) throws {
        for assignment in assignments {
            let program = try loyaltyProgram(db, id: assignment.programId)
            guard program.tierRank(assignment.tierName) != nil else { continue }  // Renamed since the evaluation.
            let membership = try loyaltyMembership(db, programId: assignment.programId, holder: assignment.holder)
            let tier = Statements.assigned(program, membership, subledgerId: assignment.subledgerId,
                                           tierName: assignment.tierName, now: now)
            try setTier(db, programId: assignment.programId, holder: assignment.holder,
                        subledgerId: assignment.subledgerId, tier)
        }
    }

    static func loyaltyMembership(_ db: Database, programId: Int64, holder: LoyaltyHolder) throws -> LoyaltyMembership {
        var membership = LoyaltyMembership()
        for row in try Row.fetchAll(db, sql: Statements.membership,
                                    arguments: [programId, holder.kind, holder.identifier]) {
            let subledger: String = row["subledger_id"]
            if subledger.isEmpty { membership.joined = row.optionalDate("joined") }
            membership.tiers[subledger] = tier(row)
        }
        return membership
    }

    private static func tier(_ row: Row) -> LoyaltyTierStanding? {
        guard let name: String = row["tier_name"], let start = row.optionalDate("tier_start") else { return nil }
        return LoyaltyTierStanding(name: name, start: start, expiry: row.optionalDate("tier_expiry"))
    }

    private static func setTier(_ db: Database, programId: Int64, holder: LoyaltyHolder, subledgerId: String,
                                _ tier: LoyaltyTierStanding?) throws
    {
        try db.cachedStatement(sql: Statements.setTier).execute(arguments: [
            programId, holder.kind, holder.identifier, subledgerId, tier?.name, tier?.start, tier?.expiry,
        ])
    }

    private static func requireProfile(_ db: Database, _ profileId: String, programId: Int64, index: Int) throws {
        guard try Int64.fetchOne(db, sql: Statements.profileExists, arguments: [profileId, programId]) ?? 0 > 0 else {
            throw LoyaltyImportUnknownProfile(index: index)
        }
    }
}
