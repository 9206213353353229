import Foundation
import PromotionEngine
import Storage
import Testing

/// Returns' shares of a close's loyalty entries and a close's expiry-date changes, alike on every backend.
@Suite struct LoyaltyReturnConformanceTests {
    /// A return of `sessionId` (closed by `closed`, returned `returns` times before) giving back these shares.
    static func returning(_ shop: Shop, _ closed: SessionCommit, returns: Int, _ shares: [LoyaltyReturnRollback])
        -> SessionCommit
    {
        var session = closed.session
        session.state = .partiallyReturned
        session.updateCount += returns + 1
        var commit = SessionCommit(
            session: session, expectedUpdateCount: closed.session.updateCount + returns, effects: [], closeLedger: .keep,
            profile: nil, redeemCouponIds: [], returnCouponIds: [],
            event: SessionEvent(applicationId: shop.applicationId, type: .sessionPartiallyReturned,
                                sessionId: session.integrationId, profileId: session.profileId, effects: [],
                                created: shop.now)
        )
        var loyalty = LoyaltyCommit()
        loyalty.returnRollbacks = shares
        commit.loyalty = loyalty
        return commit
    }

    static func share(_ entry: LoyaltyLedgerEntry, _ points: Decimal) -> LoyaltyReturnRollback {
        LoyaltyReturnRollback(closeTransactionUUID: entry.transactionUUID, points: points,
                              transactionUUID: UUID().uuidString.lowercased())
    }

    static func sumOfEntries(_ shop: Shop, _ program: LoyaltyProgram) async throws -> Decimal {
        try await shop.store.loyaltyEntries(programId: program.id, holder: .profile("alice"), subledgerId: nil,
                                            page: PageRequest(pageSize: 1000)).entries.map(\.amount).reduce(0, +)
    }

    @Test(arguments: Backends.all) func returnsGiveBackSharesNeverMoreThanTheCloseMoved(_ backend: any StoreBackend)
        async throws
    {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let program = try await LoyaltyConformanceTests.program(shop)
        try await shop.store.appendLoyaltyEntries([LoyaltyConformanceTests.entry(program, 20, kind: .add, at: shop.now)],
                                                  now: shop.now)
        var close = shop.close("s1", profileId: "alice")
        let (earn, spend) = [LoyaltyConformanceTests.entry(program, 10, kind: .earn, at: shop.now),
                             LoyaltyConformanceTests.entry(program, -6, kind: .spend, at: shop.now)]
            .map { var entry = $0; entry.customerSessionId = "s1"; return entry }.pair
        close.loyalty = LoyaltyCommit(entries: [earn, spend])
        _ = try await shop.store.commitSession(close)
        let holder = LoyaltyHolder.profile("alice")

        // 3 of 7 equal items: 10 × 3/7 = 4.29 earned points back, 6 × 3/7 = 2.57 spent points refunded.
        _ = try await shop.store.commitSession(Self.returning(shop, close, returns: 0,
                                                              [Self.share(earn, 4.29), Self.share(spend, 2.57)]))
        var balance = try await shop.store.loyaltyBalances(programId: program.id, holder: holder, now: shop.now)[""]
        #expect(balance?.activePoints == Decimal(string: "22.28"))
        #expect(balance?.spentPoints == Decimal(string: "3.43"))
        #expect(try await Self.sumOfEntries(shop, program) == Decimal(string: "22.28"))

        // A second return asking more than is left gives back only the rest.
        _ = try await shop.store.commitSession(Self.returning(shop, close, returns: 1,
                                                              [Self.share(earn, 10), Self.share(spend, 10)]))
        balance = try await shop.store.loyaltyBalances(programId: program.id, holder: holder, now: shop.now)[""]
        #expect(balance?.activePoints == 20)
        #expect(balance?.spentPoints == 0)

        // The cancel afterwards finds nothing left to give back.
        var cancel = shop.cancel(close)
        cancel.expectedUpdateCount = close.session.updateCount + 2
        cancel.session.updateCount = close.session.updateCount + 3
        cancel.loyalty = LoyaltyCommit(rollbackSessionId: "s1")
        _ = try await shop.store.commitSession(cancel)
        balance = try await shop.store.loyaltyBalances(programId: program.id, holder: holder, now: shop.now)[""]
        #expect(balance?.activePoints == 20)
        #expect(balance?.spentPoints == 0)
        #expect(balance?.negativePoints == 0)
        #expect(try await Self.sumOfEntries(shop, program) == 20)
    }

    @Test(arguments: Backends.all) func aReturnTakesPendingPointsFromTheLotAndACancelTheRest(
        _ backend: any StoreBackend
    ) async throws {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let program = try await LoyaltyConformanceTests.program(shop, pending: "on_action")
        var close = shop.close("s1", profileId: "alice")
        var earn = LoyaltyConformanceTests.entry(program, 10, kind: .earn, at: shop.now)
        (earn.customerSessionId, earn.awaitsActivation) = ("s1", true)
        close.loyalty = LoyaltyCommit(entries: [earn])
        _ = try await shop.store.commitSession(close)
        let holder = LoyaltyHolder.profile("alice")

        _ = try await shop.store.commitSession(Self.returning(shop, close, returns: 0, [Self.share(earn, 3)]))
        var balance = try await shop.store.loyaltyBalances(programId: program.id, holder: holder, now: shop.now)[""]
        #expect(balance?.pendingPoints == 7)
        #expect(balance?.activePoints ?? 0 == 0)
        let activated = try await shop.store.activateLoyaltyPoints(programId: program.id, applicationId: shop.applicationId,
                                                                   sessionId: "s1", transactionUUIDs: [], now: shop.now)
        #expect(activated.count == 1)
        balance = try await shop.store.loyaltyBalances(programId: program.id, holder: holder, now: shop.now)[""]
        #expect(balance?.activePoints == 7)
        #expect(balance?.pendingPoints == 0)

        var cancel = shop.cancel(close)
        cancel.expectedUpdateCount = close.session.updateCount + 1
        cancel.session.updateCount = close.session.updateCount + 2
        cancel.loyalty = LoyaltyCommit(rollbackSessionId: "s1")
        _ = try await shop.store.commitSession(cancel)
        balance = try await shop.store.loyaltyBalances(programId: program.id, holder: holder, now: shop.now)[""]
        #expect(balance?.activePoints ?? 0 == 0)
        #expect(balance?.negativePoints ?? 0 == 0)
        #expect(try await Self.sumOfEntries(shop, program) == 0)
    }

    @Test(arguments: Backends.all) func aCloseSetsAndExtendsTheExpiryOfActiveAndPendingLots(_ backend: any StoreBackend)
        async throws
    {
        let shop = try await Shop.open(try backend.makeDatabase().open())
        let program = try await LoyaltyConformanceTests.program(shop)
        let day: TimeInterval = 86400
        let lots = [
            LoyaltyConformanceTests.entry(program, 10, kind: .add, at: shop.now, expiry: shop.now + 10 * day),
            LoyaltyConformanceTests.entry(program, 5, kind: .add, at: shop.now),  // never expires
            LoyaltyConformanceTests.entry(program, 2, kind: .add, at: shop.now, start: shop.now + day,
                                          expiry: shop.now + 30 * day),
        ]
        try await shop.store.appendLoyaltyEntries(lots, now: shop.now)
        let holder = LoyaltyHolder.profile("alice")
        let newDate = (shop.now + 100 * day).storagePrecision

        func close(_ id: String, _ change: LoyaltyExpiryChange.Change) async throws -> [LoyaltyExpiryDateChange] {
            var commit = shop.close(id, profileId: "alice")
            let effect = Effect(origin: EffectOrigin(campaignId: 1, rulesetId: 1, ruleIndex: 0, ruleName: "expiry"),
                                kind: .loyaltyPointsExpiry(LoyaltyExpiryChange(
                                    programId: program.id, subledgerId: "", change: change,
                                    recipientIntegrationId: "alice")))
            commit.effects = [effect]
            commit.event.effects = [effect]
            var loyalty = LoyaltyCommit()
            loyalty.expiryUpdates = [LoyaltyExpiryUpdate(programId: program.id, holder: holder, subledgerId: "",
                                                         change: change, timeZone: .gmt)]
            commit.loyalty = loyalty
            let committed = try await shop.store.commitSession(commit)
            guard case .loyaltyPointsExpiry(let answered)? = committed.effects?.first?.kind else {
                Issue.record("no expiry effect answered: \(String(describing: committed.effects))")
                return []
            }
            // The stored session keeps the effect as answered (its dates to the second, as effects are written).
            let stored = try await shop.store.session(applicationId: shop.applicationId, sessionId: id)?.1
            guard case .loyaltyPointsExpiry(let kept)? = stored?.first?.kind else {
                Issue.record("no expiry effect stored: \(String(describing: stored))")
                return []
            }
            #expect(kept.affectedTransactions.map(\.transactionUUID) == answered.affectedTransactions.map(\.transactionUUID))
            return answered.affectedTransactions
        }

        let set = try await close("set", .set(newDate))
        #expect(set.map(\.transactionUUID) == lots.map(\.transactionUUID))
        #expect(set.map(\.previousExpiryDate) == lots.map(\.expiryDate))
        #expect(set.allSatisfy { $0.newExpiryDate == newDate })

        let extended = try await close("extend", .extend("1D"))
        #expect(extended.count == 3)
        #expect(extended.allSatisfy { $0.previousExpiryDate == newDate && $0.newExpiryDate == newDate + day })
        let active = try await shop.store.loyaltyPoints(programId: program.id, holder: holder, status: "active",
                                                        subledgerIds: [], now: shop.now, page: PageRequest()).entries
        #expect(active.count == 2)
        #expect(active.allSatisfy { $0.expiryDate == newDate + day })
        let balance = try await shop.store.loyaltyBalances(programId: program.id, holder: holder, now: shop.now)[""]
        #expect(balance?.activePoints == 15)
        #expect(balance?.pendingPoints == 2)
    }
}

private extension Array {
    /// The first two elements (the caller built exactly two).
    var pair: (Element, Element) { (self[0], self[1]) }
}
