import Foundation
import PromotionEngine
import Storage
import Testing

/// The loyalty parts of other writes on every backend: a session commit's ledger entries and their rollback,
/// the card-link limit under concurrency, and an import that is written whole or not at all.
@Suite struct LoyaltyCommitConformanceTests {
    @Test(arguments: Backends.all) func closeEarnsAndSpendsAndCancelRollsBothBack(_ backend: any StoreBackend)
        async throws
    {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let program = try await LoyaltyConformanceTests.program(shop)
        try await shop.store.appendLoyaltyEntries(
            [LoyaltyConformanceTests.entry(program, 20, kind: .add, at: shop.now)], now: shop.now
        )
        var close = shop.close("s1", profileId: "alice")
        let earn = LoyaltyConformanceTests.entry(program, 5, kind: .earn, at: shop.now)
        let spend = LoyaltyConformanceTests.entry(program, -8, kind: .spend, at: shop.now)
        close.loyalty = LoyaltyCommit(entries: [earn, spend].map { var entry = $0; entry.customerSessionId = "s1"; return entry })
        _ = try await shop.store.commitSession(close)
        let holder = LoyaltyHolder.profile("alice")
        let closed = try await shop.store.loyaltyBalances(programId: program.id, holder: holder, now: shop.now)[""]
        #expect(closed?.activePoints == 17)
        #expect(closed?.spentPoints == 8)

        var cancel = shop.cancel(close)
        cancel.loyalty = LoyaltyCommit(rollbackSessionId: "s1")
        _ = try await shop.store.commitSession(cancel)
        let cancelled = try await shop.store.loyaltyBalances(programId: program.id, holder: holder, now: shop.now)[""]
        #expect(cancelled?.activePoints == 20)
        #expect(cancelled?.spentPoints == 0)
        let entries = try await shop.store.loyaltyEntries(programId: program.id, holder: holder, subledgerId: nil,
                                                          page: PageRequest()).entries
        #expect(Set(entries.map(\.kind)) == [.add, .earn, .spend, .rollbackEarn, .rollbackSpend])
        #expect(entries.map(\.amount).reduce(0, +) == 20)
    }

    @Test(arguments: Backends.all) func aSpendTheBalanceCannotCoverFailsTheWholeCommit(_ backend: any StoreBackend)
        async throws
    {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let program = try await LoyaltyConformanceTests.program(shop)
        var close = shop.close("s1", profileId: "alice")
        close.loyalty = LoyaltyCommit(entries: [LoyaltyConformanceTests.entry(program, -1, kind: .spend, at: shop.now)])
        await #expect(throws: StoreError.sessionChanged) { _ = try await shop.store.commitSession(close) }
        #expect(try await shop.store.session(applicationId: shop.applicationId, sessionId: "s1") == nil)
    }

    @Test(arguments: Backends.all) func concurrentLinksStopAtTheCardLimit(_ backend: any StoreBackend) async throws {
        let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
        var settings = LoyaltyProgramSettings(name: "cards", title: "Cards", subscribedApplications: [shop.applicationId],
                                              cardBased: true)
        settings.usersPerCardLimit = 3
        let program = try await shop.store.createLoyaltyProgram(accountId: 1, settings: settings, now: shop.now)
        _ = try await shop.store.createLoyaltyCard(programId: program.id, identifier: "CARD1", status: "active",
                                                   profileIds: ["p0"], now: shop.now)
        let linked = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 1...20 {
                let store = stores[index % stores.count]
                group.addTask {
                    do {
                        _ = try await store.linkLoyaltyCard(programId: program.id, identifier: "CARD1",
                                                            profileId: "p\(index)", now: shop.now)
                        return true
                    } catch is LoyaltyCardFull {
                        return false
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(linked == 2)
        let card = try await shop.store.loyaltyCard(programId: program.id, identifier: "CARD1")
        #expect(card.profiles.count == 3)
        // Unlinking frees a place, linking again the same profile takes none.
        _ = try await shop.store.unlinkLoyaltyCard(programId: program.id, identifier: "CARD1", profileId: "p0")
        _ = try await shop.store.linkLoyaltyCard(programId: program.id, identifier: "CARD1", profileId: "p99", now: shop.now)
        _ = try await shop.store.linkLoyaltyCard(programId: program.id, identifier: "CARD1", profileId: "p99", now: shop.now)
        await #expect(throws: LoyaltyCardFull.self) {
            _ = try await shop.store.linkLoyaltyCard(programId: program.id, identifier: "CARD1", profileId: "p100",
                                                     now: shop.now)
        }
    }

    @Test(arguments: Backends.all) func anImportIsWrittenWholeOrNotAtAll(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let program = try await LoyaltyConformanceTests.program(shop)
        let rows = (0..<50).map { index in
            LoyaltyLedgerEntry(programId: program.id, holder: .profile("p\(index)"), kind: .import, amount: 3,
                               name: "import", created: shop.now)
        }
        let overdraw = LoyaltyLedgerEntry(programId: program.id, holder: .profile("p7"), kind: .deduct, amount: -4,
                                          name: "import", created: shop.now)
        await #expect(throws: LoyaltyBalanceTooLow.self) {
            try await shop.store.appendLoyaltyEntries(rows + [overdraw], now: shop.now)
        }
        for index in [0, 7, 49] {
            let balances = try await shop.store.loyaltyBalances(programId: program.id, holder: .profile("p\(index)"),
                                                                now: shop.now)
            #expect(balances[""]?.activePoints ?? 0 == 0)
        }
        try await shop.store.appendLoyaltyEntries(rows, now: shop.now)
        let imported = try await shop.store.loyaltyBalances(programId: program.id, holder: .profile("p49"), now: shop.now)
        #expect(imported[""]?.activePoints == 3)
    }
}
