import Foundation
import PromotionEngine
import Storage
import Testing

/// The loyalty ledger on every backend: spends are guarded by the balance row, so concurrent spends from two
/// nodes never overdraw, and every balance is the sum of its entries.
@Suite struct LoyaltyConformanceTests {
    static func program(_ shop: Shop, pending: String = "immediate", validity: String = "unlimited") async throws
        -> LoyaltyProgram
    {
        try await shop.store.createLoyaltyProgram(
            accountId: 1, settings: LoyaltyProgramSettings(
                name: "points-\(UUID().uuidString)", title: "Points", subscribedApplications: [shop.applicationId],
                defaultValidity: validity, defaultPending: pending
            ), now: shop.now
        )
    }

    static func entry(_ program: LoyaltyProgram, _ points: Decimal, kind: LoyaltyEntryKind, at now: Date,
                      start: Date? = nil, expiry: Date? = nil) -> LoyaltyLedgerEntry
    {
        LoyaltyLedgerEntry(programId: program.id, holder: .profile("alice"), kind: kind, amount: points,
                           startDate: start, expiryDate: expiry, name: kind.rawValue, created: now)
    }

    @Test(arguments: Backends.all) func fiftyConcurrentSpendsNeverOverdraw(_ backend: any StoreBackend) async throws {
        let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
        let program = try await Self.program(shop)
        try await shop.store.appendLoyaltyEntries([Self.entry(program, 100, kind: .add, at: shop.now)], now: shop.now)
        let spent = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<50 {
                let store = stores[index % stores.count]
                group.addTask {
                    do {
                        try await store.appendLoyaltyEntries([Self.entry(program, -7, kind: .spend, at: shop.now)],
                                                             now: shop.now)
                        return true
                    } catch is LoyaltyBalanceTooLow {
                        return false
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(spent == 14)  // 14 × 7 = 98 of 100
        let balance = try await shop.store.loyaltyBalances(programId: program.id, holder: .profile("alice"),
                                                           now: shop.now)[""]
        #expect(balance?.activePoints == 2)
        #expect(balance?.spentPoints == 98)
        #expect(balance?.negativePoints == 0)
        let entries = try await shop.store.loyaltyEntries(programId: program.id, holder: .profile("alice"),
                                                          subledgerId: nil, page: PageRequest()).entries
        #expect(entries.count == 15)
        #expect(entries.map(\.amount).reduce(0, +) == 2)
    }

    @Test(arguments: Backends.all) func pendingPointsActivateAndExpireOnTheirDates(_ backend: any StoreBackend)
        async throws
    {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let program = try await Self.program(shop)
        let start = shop.now.addingTimeInterval(3600), expiry = shop.now.addingTimeInterval(7200)
        try await shop.store.appendLoyaltyEntries(
            [Self.entry(program, 10, kind: .earn, at: shop.now, start: start, expiry: expiry)], now: shop.now
        )
        let holder = LoyaltyHolder.profile("alice")
        // Read before any worker ran: the dates decide.
        let standing = { (at: Date) in
            try await shop.store.loyaltyStandings(applicationId: shop.applicationId, profileId: "alice",
                                                  cardIdentifier: nil, now: at)
                .first?.activePoints[""] ?? 0
        }
        #expect(try await standing(shop.now) == 0)
        #expect(try await standing(start.addingTimeInterval(1)) == 10)
        #expect(try await standing(expiry.addingTimeInterval(1)) == 0)
        let before = try await shop.store.loyaltyBalances(programId: program.id, holder: holder, now: shop.now)[""]
        #expect(before?.pendingPoints == 10)
        #expect(before?.activePoints == 0)
        // A spend before activation is refused; after it, it passes.
        await #expect(throws: LoyaltyBalanceTooLow.self) {
            try await shop.store.appendLoyaltyEntries([Self.entry(program, -4, kind: .spend, at: shop.now)],
                                                      now: shop.now)
        }
        let active = start.addingTimeInterval(1)
        try await shop.store.appendLoyaltyEntries([Self.entry(program, -4, kind: .spend, at: active)], now: active)
        // The worker records the expiry of the unspent 6, once.
        #expect(try await shop.store.recordDueLoyaltyChanges(now: expiry.addingTimeInterval(1)) == 1)
        #expect(try await shop.store.recordDueLoyaltyChanges(now: expiry.addingTimeInterval(2)) == 0)
        let after = try await shop.store.loyaltyBalances(programId: program.id, holder: holder,
                                                         now: expiry.addingTimeInterval(3))[""]
        #expect(after?.activePoints == 0)
        #expect(after?.expiredPoints == 6)
        #expect(after?.spentPoints == 4)
        #expect(after?.pendingPoints == 0)
    }
}
