import Foundation
import PromotionEngine
import Storage
import Testing

/// Stored memberships on every backend: join dates and tiers written with the points that move them (in the
/// same transaction), a close's tier assignment, imports written whole or not at all, tiers reevaluated at their
/// expiry, and the dashboard's daily figures summed from the ledger.
@Suite struct LoyaltyMembershipConformanceTests {
    static let day: TimeInterval = 86_400

    static func program(_ shop: Shop, expireIn: String? = nil, join: String? = nil) async throws -> LoyaltyProgram {
        var settings = LoyaltyProgramSettings(
            name: "tiers-\(UUID().uuidString)", title: "Tiers", subscribedApplications: [shop.applicationId],
            tiers: [.init(name: "Bronze", minPoints: 10), .init(name: "Silver", minPoints: 100),
                    .init(name: "Gold", minPoints: 500)]
        )
        (settings.tiersExpireIn, settings.programJoinPolicy) = (expireIn, join)
        return try await shop.store.createLoyaltyProgram(accountId: 1, settings: settings, now: shop.now)
    }

    static func entry(_ program: LoyaltyProgram, _ holder: String, _ points: Decimal, _ kind: LoyaltyEntryKind,
                      at date: Date, start: Date? = nil) -> LoyaltyLedgerEntry
    {
        LoyaltyLedgerEntry(programId: program.id, holder: .profile(holder), kind: kind, amount: points,
                           startDate: start, name: kind.rawValue, created: date)
    }

    @Test(arguments: Backends.all) func pointsJoinTheHolderAndMoveItsTier(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let program = try await Self.program(shop)
        let earlier = shop.now.addingTimeInterval(-3600)
        try await shop.store.appendLoyaltyEntries([Self.entry(program, "ann", 150, .add, at: earlier)], now: shop.now)
        var membership = try await shop.store.loyaltyMembership(programId: program.id, holder: .profile("ann"))
        #expect(membership.joined == earlier)
        #expect(membership.tiers[""] == LoyaltyTierStanding(name: "Silver", start: shop.now))
        try await shop.store.appendLoyaltyEntries([Self.entry(program, "ann", -100, .deduct, at: shop.now)],
                                                  now: shop.now)
        membership = try await shop.store.loyaltyMembership(programId: program.id, holder: .profile("ann"))
        #expect(membership.tiers[""]?.name == "Bronze" && membership.joined == earlier)

        // points_activated: pending points do not join, their activation does.
        let activated = try await Self.program(shop, join: "points_activated")
        let start = shop.now.addingTimeInterval(60)
        try await shop.store.appendLoyaltyEntries([Self.entry(activated, "bob", 20, .add, at: shop.now, start: start)],
                                                  now: shop.now)
        #expect(try await shop.store.loyaltyMembership(programId: activated.id, holder: .profile("bob")).joined == nil)
        _ = try await shop.store.recordDueLoyaltyChanges(now: start)
        let bob = try await shop.store.loyaltyMembership(programId: activated.id, holder: .profile("bob"))
        #expect(bob.joined == start && bob.tiers[""]?.name == "Bronze")
    }

    @Test(arguments: Backends.all) func concurrentEarnsEndInTheTierOfTheSum(_ backend: any StoreBackend) async throws {
        let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
        let program = try await Self.program(shop)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                let store = stores[index % stores.count]
                group.addTask {
                    try await store.appendLoyaltyEntries([Self.entry(program, "ann", 30, .add, at: shop.now)],
                                                         now: shop.now)
                }
            }
            try await group.waitForAll()
        }
        let membership = try await shop.store.loyaltyMembership(programId: program.id, holder: .profile("ann"))
        #expect(membership.tiers[""]?.name == "Gold")  // 600 points
        #expect(membership.joined == shop.now)
    }

    @Test(arguments: Backends.all) func aCloseAssignsItsTierInItsTransaction(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let program = try await Self.program(shop, expireIn: "30D")
        var close = shop.close("s1", profileId: "ann")
        var commit = LoyaltyCommit(entries: [Self.entry(program, "ann", 20, .earn, at: shop.now)])
        commit.tierAssignments = [LoyaltyTierAssignment(programId: program.id, holder: .profile("ann"), subledgerId: "",
                                                        tierName: "Gold")]
        close.loyalty = commit
        _ = try await shop.store.commitSession(close)
        let membership = try await shop.store.loyaltyMembership(programId: program.id, holder: .profile("ann"))
        #expect(membership.tiers[""] == LoyaltyTierStanding(name: "Gold", start: shop.now,
                                                              expiry: shop.now.addingTimeInterval(30 * Self.day)))
        // A close whose spend fails writes no tier either.
        var failing = shop.close("s2", profileId: "bob")
        var refused = LoyaltyCommit(entries: [Self.entry(program, "bob", -1, .spend, at: shop.now)])
        refused.tierAssignments = [LoyaltyTierAssignment(programId: program.id, holder: .profile("bob"), subledgerId: "",
                                                         tierName: "Gold")]
        failing.loyalty = refused
        await #expect(throws: StoreError.sessionChanged) { _ = try await shop.store.commitSession(failing) }
        #expect(try await shop.store.loyaltyMembership(programId: program.id, holder: .profile("bob")).tiers.isEmpty)
    }

    @Test(arguments: Backends.all) func advancedTiersAreKeptUntilTheirExpiryThenReevaluated(_ backend: any StoreBackend)
        async throws
    {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let program = try await Self.program(shop, expireIn: "30D")
        try await shop.store.appendLoyaltyEntries([Self.entry(program, "ann", 150, .add, at: shop.now)], now: shop.now)
        try await shop.store.appendLoyaltyEntries([Self.entry(program, "ann", -140, .deduct, at: shop.now)],
                                                  now: shop.now)
        let silver = try await shop.store.loyaltyMembership(programId: program.id, holder: .profile("ann")).tiers[""]
        #expect(silver?.name == "Silver" && silver?.expiry == shop.now.addingTimeInterval(30 * Self.day))
        // The lifecycle worker's pass after the expiry: balance_based, 10 points, from the expiry date.
        _ = try await shop.store.recordDueLoyaltyChanges(now: shop.now.addingTimeInterval(31 * Self.day))
        let bronze = try await shop.store.loyaltyMembership(programId: program.id, holder: .profile("ann")).tiers[""]
        #expect(bronze?.name == "Bronze" && bronze?.start == silver?.expiry)
    }

    @Test(arguments: Backends.all) func importsAreWholeOrNothing(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let program = try await Self.program(shop, expireIn: "1Y")
        for profile in ["ann", "bob"] { _ = try await shop.store.commitSession(shop.close("s-\(profile)", profileId: profile)) }
        let expiry = shop.now.addingTimeInterval(90 * Self.day)
        await #expect(throws: LoyaltyImportUnknownProfile(index: 1)) {
            try await shop.store.importLoyaltyTiers(programId: program.id, rows: [
                LoyaltyTierImport(profileId: "ann", subledgerId: "", tierName: "Gold", expiry: expiry),
                LoyaltyTierImport(profileId: "nobody", subledgerId: "", tierName: "Gold", expiry: expiry),
            ], now: shop.now)
        }
        #expect(try await shop.store.loyaltyMembership(programId: program.id, holder: .profile("ann")).tiers.isEmpty)
        try await shop.store.importLoyaltyTiers(programId: program.id, rows: [
            LoyaltyTierImport(profileId: "ann", subledgerId: "", tierName: "Gold", expiry: expiry),
        ], now: shop.now)
        // Imported again into the same tier: only the expiry changes.
        let later = shop.now.addingTimeInterval(60)
        try await shop.store.importLoyaltyTiers(programId: program.id, rows: [
            LoyaltyTierImport(profileId: "ann", subledgerId: "", tierName: "Gold", expiry: expiry.addingTimeInterval(60)),
        ], now: later)
        let ann = try await shop.store.loyaltyMembership(programId: program.id, holder: .profile("ann"))
        #expect(ann.tiers[""] == LoyaltyTierStanding(name: "Gold", start: shop.now, expiry: expiry.addingTimeInterval(60)))

        let joined = shop.now.addingTimeInterval(-400 * Self.day)
        await #expect(throws: LoyaltyImportUnknownProfile(index: 0)) {
            try await shop.store.importLoyaltyJoinDates(programId: program.id, rows: [
                LoyaltyJoinDateImport(profileId: "nobody", joined: joined),
                LoyaltyJoinDateImport(profileId: "bob", joined: joined),
            ])
        }
        #expect(try await shop.store.loyaltyMembership(programId: program.id, holder: .profile("bob")).joined == nil)
        try await shop.store.importLoyaltyJoinDates(programId: program.id, rows: [
            LoyaltyJoinDateImport(profileId: "bob", joined: joined), LoyaltyJoinDateImport(profileId: "ann", joined: joined),
        ])
        var rows: [LoyaltyMemberRow] = []
        try await shop.store.forEachLoyaltyMemberPage(programId: program.id, holderKind: "profile", pageSize: 1) {
            rows += $0
        }
        #expect(rows.map(\.holder) == ["ann", "bob"] && rows.allSatisfy { $0.joined == joined })
        #expect(rows.first?.tier?.name == "Gold" && rows.last?.tier == nil)
    }

    @Test(arguments: Backends.all) func dashboardDaysAreSumsOfTheLedger(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let program = try await Self.program(shop)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let today = calendar.startOfDay(for: shop.now)
        let (dayA, dayB) = (today.addingTimeInterval(-2 * Self.day), today.addingTimeInterval(-Self.day))
        var pending = Self.entry(program, "cat", Decimal(string: "4.5")!, .earn, at: dayB.addingTimeInterval(3 * 3600),
                                 start: shop.now.addingTimeInterval(3600))
        pending.customerSessionId = "s3"
        try await shop.store.appendLoyaltyEntries([
            Self.entry(program, "ann", 10, .add, at: dayA.addingTimeInterval(3600)),
            Self.entry(program, "ann", Decimal(string: "-3.25")!, .spend, at: dayB.addingTimeInterval(2 * 3600)),
            Self.entry(program, "bob", 5, .import, at: dayB.addingTimeInterval(3600)),
            pending,
        ], now: shop.now)
        let days = [DateInterval(start: dayA, end: dayB), DateInterval(start: dayB, end: today)]
        let figures = try await shop.store.loyaltyDashboard(programId: program.id, subledgerId: nil, days: days,
                                                            now: shop.now)
        #expect(figures.count == 2)
        let (first, second) = (figures[0], figures[1])
        #expect(first.balance.activePoints == 10 && first.balance.pendingPoints == 0 && first.balance.spentPoints == 0)
        #expect((first.members, first.newMembers) == (1, 1) && first.earnedManually == 10)
        #expect(second.balance.activePoints == Decimal(string: "11.75")! && second.balance.pendingPoints == Decimal(string: "4.5")!)
        #expect(second.balance.spentPoints == Decimal(string: "3.25")! && second.spentByRules == Decimal(string: "3.25")!)
        #expect((second.members, second.newMembers) == (3, 2))
        #expect(second.earnedManually == 5 && second.earnedByRules == Decimal(string: "4.5")!)
        let other = try await shop.store.loyaltyDashboard(programId: program.id, subledgerId: "other", days: days,
                                                          now: shop.now)
        #expect(other.map(\.balance.activePoints) == [0, 0])
    }
}
