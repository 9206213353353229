import Foundation
import PromotionEngine
import Storage
import Testing

/// Program-wide ledger reads on every backend: filtered transactions, statistics and per-holder balances, each
/// the exact sum of the entries.
@Suite struct LoyaltyReportConformanceTests {
    static func entry(_ program: LoyaltyProgram, _ holder: LoyaltyHolder, _ points: Decimal, _ kind: LoyaltyEntryKind,
                      at date: Date, session: String? = nil) -> LoyaltyLedgerEntry
    {
        var entry = LoyaltyLedgerEntry(programId: program.id, holder: holder, kind: kind, amount: points,
                                       name: kind.rawValue, created: date)
        entry.customerSessionId = session
        return entry
    }

    @Test(arguments: Backends.all) func transactionsAreFilteredAndPaged(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let program = try await LoyaltyConformanceTests.program(shop)
        let yesterday = shop.now.addingTimeInterval(-86_400)
        try await shop.store.appendLoyaltyEntries([
            Self.entry(program, .profile("ann"), 10, .add, at: yesterday),
            Self.entry(program, .profile("ann"), 5, .earn, at: shop.now, session: "s1"),
            Self.entry(program, .profile("bob"), Decimal(string: "2.25")!, .import, at: shop.now),
            Self.entry(program, .profile("ann"), -3, .spend, at: shop.now, session: "s2"),
        ], now: shop.now)
        func amounts(_ filter: LoyaltyTransactionFilter, _ page: PageRequest = PageRequest()) async throws -> [Decimal] {
            try await shop.store.loyaltyTransactions(programId: program.id, filter: filter, page: page).entries
                .map(\.amount)
        }
        // One append writes per holder in order: ann's three entries, then bob's.
        #expect(try await amounts(.init()) == [Decimal(string: "2.25")!, -3, 5, 10])
        var filter = LoyaltyTransactionFilter()
        filter.source = .session
        #expect(try await amounts(filter) == [-3, 5])
        filter = .init(holder: .profile("ann"))
        filter.createdFrom = shop.now
        #expect(try await amounts(filter) == [-3, 5])
        filter = .init()
        filter.customerSessionIds = ["s1", "s2"]
        filter.createdBefore = shop.now.addingTimeInterval(1)
        #expect(try await amounts(filter) == [-3, 5])
        let page = try await shop.store.loyaltyTransactions(programId: program.id, filter: .init(),
                                                            page: PageRequest(pageSize: 2, skip: 1))
        #expect(page.entries.map(\.amount) == [-3, 5] && page.hasMore)
        var oldestFirst: [Decimal] = []
        try await shop.store.forEachLoyaltyTransactionPage(programId: program.id, filter: .init(), pageSize: 3) {
            oldestFirst += $0.map(\.amount)
        }
        #expect(oldestFirst == [10, 5, -3, Decimal(string: "2.25")!])
    }

    @Test(arguments: Backends.all) func totalsAndHolderBalancesAreSumsOfTheLedger(_ backend: any StoreBackend)
        async throws
    {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let program = try await LoyaltyConformanceTests.program(shop)
        let yesterday = shop.now.addingTimeInterval(-86_400)
        var pending = Self.entry(program, .profile("cat"), 4, .earn, at: shop.now, session: "s3")
        pending.startDate = shop.now.addingTimeInterval(3600)
        try await shop.store.appendLoyaltyEntries([
            Self.entry(program, .profile("ann"), 10, .add, at: yesterday),
            Self.entry(program, .profile("ann"), 5, .earn, at: shop.now, session: "s1"),
            Self.entry(program, .profile("ann"), -3, .spend, at: shop.now, session: "s2"),
            Self.entry(program, .profile("bob"), Decimal(string: "2.25")!, .import, at: shop.now),
            Self.entry(program, .profile("bob"), Decimal(string: "-0.25")!, .deduct, at: shop.now),
            pending,
        ], now: shop.now)
        let totals = try await shop.store.loyaltyProgramTotals(
            programId: program.id, dayStart: shop.now.addingTimeInterval(-60), dayEnd: shop.now.addingTimeInterval(60),
            now: shop.now
        )
        #expect(totals.balance.activePoints == 14 && totals.balance.pendingPoints == 4)
        #expect(totals.balance.spentPoints == Decimal(string: "3.25")!)
        #expect((totals.members, totals.newMembers) == (3, 2))  // ann joined yesterday
        #expect(totals.earnedByRules == 9 && totals.earnedManually == Decimal(string: "2.25")!)
        #expect(totals.spentByRules == 3 && totals.spentManually == Decimal(string: "0.25")!)
        var pages: [[String]] = []
        var balances: [String: LoyaltyBalance] = [:]
        try await shop.store.forEachLoyaltyHolderBalancePage(programId: program.id, holderKind: "profile",
                                                             now: shop.now, pageSize: 2) { page in
            pages.append(page.map(\.holder))
            for row in page { balances[row.holder] = row.balance }
        }
        #expect(pages == [["ann", "bob"], ["cat"]])
        #expect(balances["ann"]?.activePoints == 12 && balances["ann"]?.spentPoints == 3)
        #expect(balances["bob"]?.activePoints == 2 && balances["cat"]?.pendingPoints == 4)
    }
}
