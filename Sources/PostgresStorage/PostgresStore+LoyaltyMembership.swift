import Foundation
import PromotionEngine
import Storage

private typealias Statements = LoyaltyMembershipStatements

extension PostgresStore: LoyaltyMembershipStore {
    public func loyaltyMembership(programId: Int64, holder: LoyaltyHolder) async throws -> LoyaltyMembership {
        try await read { db in
            _ = try await Self.loyaltyProgram(db, id: programId)
            return try await Self.loyaltyMembership(db, programId: programId, holder: holder)
        }
    }

    public func loyaltyMembers(programId: Int64, holderKind: String, after: (holder: String, subledgerId: String)?,
                               limit: Int) async throws -> [LoyaltyMemberRow]
    {
        let (holder, subledger) = after ?? ("", "")
        return try await read { db in
            _ = try await Self.loyaltyProgram(db, id: programId)
            return try await db.rows(Statements.members, [programId, holderKind, holder, holder, subledger, limit])
                .map { row in
                    LoyaltyMemberRow(holder: try row["holder"], subledgerId: try row["subledger_id"],
                                     joined: try row.optionalDate("joined"), tier: try Self.tier(row),
                                     activePoints: StoredMoney.decimal(try row["active_units"]))
                }
        }
    }

    public func importLoyaltyTiers(programId: Int64, rows: [LoyaltyTierImport], now: Date) async throws {
        try await write { db in
            let program = try await Self.loyaltyProgram(db, id: programId)
            for (index, row) in rows.enumerated() {
                try await Self.requireProfile(db, row.profileId, programId: programId, index: index)
                let holder = LoyaltyHolder.profile(row.profileId)
                let membership = try await Self.loyaltyMembership(db, programId: programId, holder: holder)
                let tier = Statements.assigned(program, membership, subledgerId: row.subledgerId, tierName: row.tierName,
                                               expiry: .some(row.expiry), now: now)
                try await Self.setTier(db, programId: programId, holder: holder, subledgerId: row.subledgerId, tier)
            }
        }
    }

    public func importLoyaltyJoinDates(programId: Int64, rows: [LoyaltyJoinDateImport]) async throws {
        try await write { db in
            _ = try await Self.loyaltyProgram(db, id: programId)
            for (index, row) in rows.enumerated() {
                try await Self.requireProfile(db, row.profileId, programId: programId, index: index)
                try await db.execute(Statements.setJoin, [programId, "profile", row.profileId, row.joined])
            }
        }
    }

    public func loyaltyDashboard(programId: Int64, subledgerId: String?, days: [DateInterval], now: Date)
        async throws -> [LoyaltyProgramTotals]
    {
        try await write { db in
            _ = try await Self.loyaltyProgram(db, id: programId)
            _ = try await Self.recordDueLoyalty(db, now: now, holder: nil)
            let sql = Statements.dashboardDay(activated: "activated", subledger: subledgerId != nil)
            var figures: [LoyaltyProgramTotals] = []
            for day in days {
                var arguments: SQLArguments = [day.end, day.start, programId]
                if let subledgerId { arguments.append(subledgerId) }
                guard let ledger = try await db.row(sql, arguments),
                      let members = try await db.row(Statements.dashboardMembers, [day.end, day.start, programId])
                else { throw StoreError.notFound(entity: "loyalty program") }
                var totals = LoyaltyProgramTotals()
                totals.balance.activePoints = StoredMoney.decimal(try ledger["active_total"])
                totals.balance.negativePoints = StoredMoney.decimal(try ledger["negative_total"])
                try totals.readLedgerSums { try ledger[$0] }
                totals.members = Int(try members["members"] as Int64)
                totals.newMembers = Int(try members["new_members"] as Int64)
                figures.append(totals)
            }
            return figures
        }
    }

    // MARK: - Steps inside the ledger's transactions (the holder's balance rows are locked by then)

    /// After a holder's points changed: its join date as the program's join policy says, and its tiers settled
    /// against its active points.
    static func settleMembership(_ db: Database, _ change: LoyaltyMembershipChanges.Change, now: Date) async throws {
        let program = try await loyaltyProgram(db, id: change.programId)
        let key: SQLArguments = [change.programId, change.holder.kind, change.holder.identifier]
        if Statements.joins(program, added: change.added, activated: change.activated) {
            try await db.execute(Statements.recordJoin, key + [change.joinDate ?? now])
        }
        guard !program.tiers.isEmpty || change.tierDue else { return }
        let membership = try await loyaltyMembership(db, programId: change.programId, holder: change.holder)
        var points: [String: Decimal] = [:]
        for row in try await db.rows(Statements.activePoints, key) {
            points[try row["subledger_id"]] = StoredMoney.decimal(try row["active_units"])
        }
        for (subledger, tier) in Statements.tierChanges(program, membership, activePoints: points, now: now) {
            try await setTier(db, programId: change.programId, holder: change.holder, subledgerId: subledger, tier)
        }
    }

    static func settleMemberships(_ db: Database, _ changes: LoyaltyMembershipChanges, now: Date) async throws {
        for change in changes.all { try await settleMembership(db, change, now: now) }
    }

    /// Tiers whose expiry passed, reevaluated (the lifecycle worker's and program-wide reads' step).
    static func settleDueTiers(_ db: Database, now: Date) async throws -> Int {
        var due = LoyaltyMembershipChanges()
        for row in try await db.rows(Statements.dueTiers, [now]) {
            let kind: String = try row["holder_kind"]
            let holder: String = try row["holder"]
            due.note(try row["program_id"], kind == "card" ? .card(holder) : .profile(holder), tierDue: true)
        }
        try await settleMemberships(db, due, now: now)
        return due.all.count
    }

    /// The close's `changeLoyaltyTierLevel` effects, after its entries.
    static func assignLoyaltyTiers(_ db: Database, _ assignments: [LoyaltyTierAssignment], now: Date) async throws {
        for assignment in assignments {
            let program = try await loyaltyProgram(db, id: assignment.programId)
            guard program.tierRank(assignment.tierName) != nil else { continue }  // Renamed since the evaluation.
            let membership = try await loyaltyMembership(db, programId: assignment.programId, holder: assignment.holder)
            let tier = Statements.assigned(program, membership, subledgerId: assignment.subledgerId,
                                           tierName: assignment.tierName, now: now)
            try await setTier(db, programId: assignment.programId, holder: assignment.holder,
                              subledgerId: assignment.subledgerId, tier)
        }
    }

    static func loyaltyMembership(_ db: Database, programId: Int64, holder: LoyaltyHolder) async throws
        -> LoyaltyMembership
    {
        var membership = LoyaltyMembership()
        for row in try await db.rows(Statements.membership, [programId, holder.kind, holder.identifier]) {
            let subledger: String = try row["subledger_id"]
            if subledger.isEmpty { membership.joined = try row.optionalDate("joined") }
            membership.tiers[subledger] = try tier(row)
        }
        return membership
    }

    private static func tier(_ row: Row) throws -> LoyaltyTierStanding? {
        guard let name: String = try row["tier_name"], let start = try row.optionalDate("tier_start") else { return nil }
        return LoyaltyTierStanding(name: name, start: start, expiry: try row.optionalDate("tier_expiry"))
    }

    private static func setTier(_ db: Database, programId: Int64, holder: LoyaltyHolder, subledgerId: String,
                                _ tier: LoyaltyTierStanding?) async throws
    {
        try await db.execute(Statements.setTier, [
            programId, holder.kind, holder.identifier, subledgerId, tier?.name, tier?.start, tier?.expiry,
        ])
    }

    private static func requireProfile(_ db: Database, _ profileId: String, programId: Int64, index: Int) async throws {
        guard try await db.value(Int64.self, Statements.profileExists, [profileId, programId]) ?? 0 > 0 else {
            throw LoyaltyImportUnknownProfile(index: index)
        }
    }
}
