import Foundation
import PromotionEngine
import Storage
import Testing

/// Card transfers, batches and imports on every backend: a transfer raced against spends from two nodes never
/// changes what the two cards hold together beyond what the spends took.
@Suite struct LoyaltyCardTransferConformanceTests {
    static func cardProgram(_ shop: Shop, limit: Int = 0) async throws -> LoyaltyProgram {
        var settings = LoyaltyProgramSettings(name: "cards-\(UUID().uuidString)", title: "Cards",
                                              subscribedApplications: [shop.applicationId], cardBased: true)
        settings.usersPerCardLimit = limit
        return try await shop.store.createLoyaltyProgram(accountId: 1, settings: settings, now: shop.now)
    }

    static func entry(_ program: LoyaltyProgram, _ card: String, _ points: Decimal, _ kind: LoyaltyEntryKind,
                      at date: Date) -> LoyaltyLedgerEntry
    {
        LoyaltyLedgerEntry(programId: program.id, holder: .card(card), kind: kind, amount: points, name: kind.rawValue,
                           created: date)
    }

    @Test(arguments: Backends.all) func transferRacedAgainstSpendsKeepsTheSum(_ backend: any StoreBackend)
        async throws
    {
        let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
        let program = try await Self.cardProgram(shop)
        _ = try await shop.store.createLoyaltyCard(programId: program.id, identifier: "OLD1", status: "active",
                                                   profileIds: ["p1"], now: shop.now)
        try await shop.store.appendLoyaltyEntries([Self.entry(program, "OLD1", 100, .add, at: shop.now)], now: shop.now)
        let spends = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<40 {
                let store = stores[index % stores.count]
                group.addTask {
                    if index == 20 {
                        _ = try await store.transferLoyaltyCard(programId: program.id, identifier: "OLD1",
                                                                newIdentifier: "NEW1", blockReason: "lost", now: shop.now)
                        return 0
                    }
                    do {
                        try await store.appendLoyaltyEntries([Self.entry(program, "OLD1", -3, .spend, at: shop.now)],
                                                             now: shop.now)
                        return 1
                    } catch is LoyaltyBalanceTooLow {
                        return 0
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        let balance = { (card: String) in
            try await shop.store.loyaltyBalances(programId: program.id, holder: .card(card), now: shop.now)[""]?
                .activePoints ?? 0
        }
        let (old, new) = (try await balance("OLD1"), try await balance("NEW1"))
        #expect(old == 0)
        #expect(old + new == 100 - 3 * Decimal(spends))
        // The new card holds the whole ledger: its entries sum to its balance.
        let entries = try await shop.store.loyaltyTransactions(programId: program.id, filter: .init(holder: .card("NEW1")),
                                                               page: PageRequest()).entries
        #expect(entries.map(\.amount).reduce(0, +) == new)
        #expect(entries.count == spends + 1)
        let moved = try await shop.store.loyaltyCard(programId: program.id, identifier: "NEW1")
        #expect(moved.profiles.map(\.integrationId) == ["p1"] && moved.oldCardIdentifier == "OLD1")
        let blocked = try await shop.store.loyaltyCard(programId: program.id, identifier: "OLD1")
        #expect(blocked.status == "inactive" && blocked.newCardIdentifier == "NEW1" && blocked.profiles.isEmpty)
        await #expect(throws: LoyaltyCardNotActive.self) {
            _ = try await shop.store.transferLoyaltyCard(programId: program.id, identifier: "OLD1",
                                                         newIdentifier: "NEW2", blockReason: nil, now: shop.now)
        }
    }

    @Test(arguments: Backends.all) func batchesSkipExistingCodesAndImportsAreWholeOrNothing(_ backend: any StoreBackend)
        async throws
    {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let program = try await Self.cardProgram(shop, limit: 2)
        #expect(try await shop.store.createLoyaltyCards(programId: program.id, identifiers: ["AAAA", "BBBB"],
                                                        status: "active", batchId: "b1", now: shop.now) == 2)
        #expect(try await shop.store.createLoyaltyCards(programId: program.id, identifiers: ["BBBB", "CCCC"],
                                                        status: "active", batchId: "b2", now: shop.now) == 1)
        let listed = try await shop.store.loyaltyCards(programId: program.id, filter: .init(batchId: "b1"),
                                                       page: PageRequest())
        #expect(listed.cards.map(\.identifier) == ["AAAA", "BBBB"])
        await #expect(throws: LoyaltyCardExists(index: 1)) {
            try await shop.store.importLoyaltyCards(programId: program.id, cards: [
                LoyaltyCardImport(identifier: "DDDD", status: "active", profileIds: ["p1"]),
                LoyaltyCardImport(identifier: "AAAA", status: "active", profileIds: []),
            ], batchId: "i1", now: shop.now)
        }
        await #expect(throws: LoyaltyCardFull(limit: 2)) {
            try await shop.store.importLoyaltyCards(programId: program.id, cards: [
                LoyaltyCardImport(identifier: "DDDD", status: "active", profileIds: ["p1", "p2", "p3"]),
            ], batchId: "i2", now: shop.now)
        }
        #expect(try await shop.store.loyaltyCards(programId: program.id, filter: .init(identifier: "DDDD"),
                                                  page: PageRequest()).cards.isEmpty)
        try await shop.store.importLoyaltyCards(programId: program.id, cards: [
            LoyaltyCardImport(identifier: "DDDD", status: "inactive", profileIds: ["p1", "p2"]),
        ], batchId: "i3", now: shop.now)
        let byProfile = try await shop.store.loyaltyCards(programId: program.id, filter: .init(profileId: "p2"),
                                                          page: PageRequest())
        #expect(byProfile.cards.map(\.identifier) == ["DDDD"] && byProfile.cards.first?.status == "inactive")
        try await shop.store.deleteLoyaltyCard(programId: program.id, identifier: "DDDD")
        await #expect(throws: StoreError.self) {
            try await shop.store.deleteLoyaltyCard(programId: program.id, identifier: "DDDD")
        }
    }
}
