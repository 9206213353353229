import Foundation
import PromotionEngine

/// Which ledger entries a Management listing or export names.
public struct LoyaltyTransactionFilter: Sendable, Hashable {
    /// Where entries came from, as `loyaltyTransactionType` says.
    public enum Source: String, Sendable, Hashable, CaseIterable {
        /// Added or deducted by hand (`add`, `deduct`).
        case manual
        /// Earned, spent or rolled back by a session.
        case session
        case `import`

        public var kinds: [LoyaltyEntryKind] {
            switch self {
            case .manual: [.add, .deduct]
            case .session: [.earn, .spend, .rollbackEarn, .rollbackSpend]
            case .import: [.import]
            }
        }
    }

    public var holder: LoyaltyHolder?
    public var source: Source?
    public var subledgerId: String?
    public var customerSessionIds: [String] = []
    public var transactionUUIDs: [String] = []
    /// Created at or after.
    public var createdFrom: Date?
    /// Created before.
    public var createdBefore: Date?
    /// Additions that wait for an activation call (true) or not (false).
    public var awaitsActivation: Bool?
    /// Keyset paging for exports: entries after this id, oldest first (nil: newest first).
    public var afterId: Int64?

    public init(holder: LoyaltyHolder? = nil) { self.holder = holder }
}

/// A program's totals at a date, and what moved on the day asked (`getLoyaltyStatistics`).
public struct LoyaltyProgramTotals: Sendable, Hashable {
    public var balance = LoyaltyBalance()
    /// Holders with a join date (stored memberships: see ``LoyaltyMembershipStore``).
    public var members = 0
    /// Holders who joined in the day.
    public var newMembers = 0
    public var earnedManually: Decimal = 0
    public var earnedByRules: Decimal = 0
    public var spentManually: Decimal = 0
    public var spentByRules: Decimal = 0

    public init() {}
}

/// One holder's balance in one (sub)ledger, for the balance, tier and join-date exports.
public struct LoyaltyHolderBalance: Sendable, Hashable {
    public var holder: String
    public var subledgerId: String
    public var balance: LoyaltyBalance
    /// The holder's first entry in the program: its join date (a card without entries: its creation).
    public var joined: Date
    /// Cards: `active` or `inactive`.
    public var cardStatus: String?

    public init(holder: String, subledgerId: String, balance: LoyaltyBalance, joined: Date) {
        (self.holder, self.subledgerId, self.balance, self.joined) = (holder, subledgerId, balance, joined)
    }

    /// Card balances with each card's status, and a zero main-ledger row for the cards without entries;
    /// `cards` and the result in identifier order.
    public static func cards(_ balances: [LoyaltyHolderBalance],
                             _ cards: [(identifier: String, status: String, created: Date)]) -> [LoyaltyHolderBalance]
    {
        let byCard = Dictionary(grouping: balances, by: \.holder)
        return cards.flatMap { card in
            let rows = byCard[card.identifier]
                ?? [LoyaltyHolderBalance(holder: card.identifier, subledgerId: "", balance: .init(), joined: card.created)]
            return rows.map { row in
                var row = row
                row.cardStatus = card.status
                return row
            }
        }
    }
}

/// Program-wide reads of the ledger for the Management API: listings, statistics and exports. Each records the
/// program's due activations and expiries first, so it shows the balances a holder's read would.
public protocol LoyaltyReportStore: Sendable {
    func loyaltyTransactions(programId: Int64, filter: LoyaltyTransactionFilter, page: PageRequest) async throws
        -> (entries: [LoyaltyLedgerEntry], hasMore: Bool)
    /// Totals at `now`; the day's movements and new members between `dayStart` and `dayEnd`.
    func loyaltyProgramTotals(programId: Int64, dayStart: Date, dayEnd: Date, now: Date) async throws
        -> LoyaltyProgramTotals
    /// Balances of up to `limit` holders of one kind (`profile` or `card`) after `afterHolder`, in holder order,
    /// one row per holder and subledger (profiles: those with entries; cards: every card of the program).
    func loyaltyHolderBalances(programId: Int64, holderKind: String, afterHolder: String?, limit: Int, now: Date)
        async throws -> (balances: [LoyaltyHolderBalance], lastHolder: String?)
    /// Deletes the holder's entries and balance rows in the subledgers named (nil: all), balance rows first (as a
    /// spend locks them: one waiting on them then finds nothing to spend). Returns how many entries went.
    func deleteLoyaltyTransactions(programId: Int64, holder: LoyaltyHolder, subledgerIds: [String]?) async throws -> Int
}

extension LoyaltyReportStore {
    /// Every entry the filter names, oldest first, a page at a time (keyset paging: memory stays flat).
    public func forEachLoyaltyTransactionPage(
        programId: Int64, filter: LoyaltyTransactionFilter, pageSize: Int = 1000,
        _ body: ([LoyaltyLedgerEntry]) async throws -> Void
    ) async throws {
        var filter = filter
        filter.afterId = filter.afterId ?? 0
        while true {
            let (page, hasMore) = try await loyaltyTransactions(programId: programId, filter: filter,
                                                                page: PageRequest(pageSize: pageSize))
            if !page.isEmpty { try await body(page) }
            guard hasMore, let last = page.last else { return }
            filter.afterId = last.id
        }
    }

    /// Every holder's balances, a page of holders at a time.
    public func forEachLoyaltyHolderBalancePage(
        programId: Int64, holderKind: String, now: Date, pageSize: Int = 500,
        _ body: ([LoyaltyHolderBalance]) async throws -> Void
    ) async throws {
        var after: String?
        while true {
            let (page, last) = try await loyaltyHolderBalances(programId: programId, holderKind: holderKind,
                                                               afterHolder: after, limit: pageSize, now: now)
            if !page.isEmpty { try await body(page) }
            guard let last, last != after else { return }
            after = last
        }
    }
}
