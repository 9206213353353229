import Foundation
import PromotionEngine

/// Whose points a ledger entry moves: a customer profile (profile-based programs) or a loyalty card.
public enum LoyaltyHolder: Sendable, Hashable {
    case profile(String)
    case card(String)

    public var kind: String { if case .profile = self { "profile" } else { "card" } }
    public var identifier: String { switch self { case .profile(let id), .card(let id): id } }
}

/// Why an entry is in the ledger.
public enum LoyaltyEntryKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Added by a rule on a closed session, or by hand, or by an import.
    case earn, add, `import`
    /// Spent by a rule on a closed session, or deducted by hand.
    case spend, deduct
    /// An active lot's unspent rest passed its expiry date.
    case expire
    /// A cancelled (or reopened) session gives back what it earned or spent; a return, its share of it.
    case rollbackEarn = "rollback_earn", rollbackSpend = "rollback_spend"
}

/// One ledger entry: signed points, and for additions when they start and expire.
public struct LoyaltyLedgerEntry: Sendable, Hashable {
    public var id: Int64
    public var programId: Int64
    public var holder: LoyaltyHolder
    public var subledgerId: String
    public var kind: LoyaltyEntryKind
    /// Signed: additions positive, everything else negative.
    public var amount: Decimal
    /// Additions: when they become active (nil and `awaitsActivation`: on an activation call).
    public var startDate: Date?
    public var awaitsActivation: Bool
    public var expiryDate: Date?
    public var name: String
    public var transactionUUID: String
    public var customerSessionId: String?
    public var campaignId: Int64?
    public var rulesetId: Int64?
    public var ruleName: String?
    public var userId: Int64?
    public var created: Date

    public init(id: Int64 = 0, programId: Int64, holder: LoyaltyHolder, subledgerId: String = "",
                kind: LoyaltyEntryKind, amount: Decimal, startDate: Date? = nil, awaitsActivation: Bool = false,
                expiryDate: Date? = nil, name: String, transactionUUID: String = UUID().uuidString.lowercased(),
                customerSessionId: String? = nil, created: Date)
    {
        (self.id, self.programId, self.holder, self.subledgerId, self.kind) = (id, programId, holder, subledgerId, kind)
        (self.amount, self.startDate, self.awaitsActivation, self.expiryDate) =
            (amount, startDate, awaitsActivation, expiryDate)
        (self.name, self.transactionUUID, self.customerSessionId, self.created) =
            (name, transactionUUID, customerSessionId, created)
    }
}

/// A holder's points in one (sub)ledger, each a sum of its entries.
public struct LoyaltyBalance: Sendable, Hashable {
    public var activePoints: Decimal = 0
    public var pendingPoints: Decimal = 0
    public var spentPoints: Decimal = 0
    public var expiredPoints: Decimal = 0
    /// How far rollbacks took the active balance below zero (then `activePoints` is 0).
    public var negativePoints: Decimal = 0

    public init() {}
}

/// The loyalty side of a session commit, decided by Services from the close's effects or the cancelled
/// close's ledger; applied in the commit's transaction after the profile's counters.
public struct LoyaltyCommit: Sendable {
    /// Additions and spends of a closing session (`addLoyaltyPoints`, `deductLoyaltyPoints` effects).
    public var entries: [LoyaltyLedgerEntry]
    /// Sessions whose loyalty entries a cancel or reopen rolls back.
    public var rollbackSessionId: String?
    /// A close's expiry-date changes, applied after its entries (see ``LoyaltyExpiryUpdate``).
    public var expiryUpdates: [LoyaltyExpiryUpdate] = []
    /// A return's shares of the close's entries, rolled back or refunded (see ``LoyaltyReturnRollback``).
    public var returnRollbacks: [LoyaltyReturnRollback] = []
    /// Tiers the close's `changeLoyaltyTierLevel` effects assign, after its entries.
    public var tierAssignments: [LoyaltyTierAssignment] = []

    public init(entries: [LoyaltyLedgerEntry] = [], rollbackSessionId: String? = nil) {
        (self.entries, self.rollbackSessionId) = (entries, rollbackSessionId)
    }
}

/// A spend or deduction that would take the active balance below zero: nothing was written.
public struct LoyaltyBalanceTooLow: Error, Sendable, Equatable {
    public var programId: Int64
    public var available: Decimal
    public init(programId: Int64, available: Decimal) { (self.programId, self.available) = (programId, available) }
}

/// Loyalty programs and their ledgers. Every spend is one conditional update of the holder's balance row
/// (`active_units >= ?`), judged by its changed rows; balances are the sums of their entries.
public protocol LoyaltyStore: Sendable {
    func createLoyaltyProgram(accountId: Int64, settings: LoyaltyProgramSettings, now: Date) async throws
        -> LoyaltyProgram
    func loyaltyPrograms(accountId: Int64) async throws -> [LoyaltyProgram]
    func loyaltyProgram(id: Int64, accountId: Int64) async throws -> LoyaltyProgram
    func updateLoyaltyProgram(id: Int64, accountId: Int64, settings: LoyaltyProgramSettings) async throws
        -> LoyaltyProgram
    /// Deletes the program and its ledger.
    func deleteLoyaltyProgram(id: Int64, accountId: Int64) async throws

    /// The programs the application is subscribed to, with the active points per subledger at `now` of the
    /// profile (profile-based programs) or of the card (card-based ones); none without them.
    func loyaltyStandings(applicationId: Int64, profileId: String?, cardIdentifier: String?, now: Date) async throws
        -> [LoyaltyStanding]
    /// The holder's balances per subledger (`""`: the main ledger) at `now`, after recording what became
    /// active or expired by then.
    func loyaltyBalances(programId: Int64, holder: LoyaltyHolder, now: Date) async throws -> [String: LoyaltyBalance]
    /// The holder's entries, newest first, optionally of one subledger.
    func loyaltyEntries(programId: Int64, holder: LoyaltyHolder, subledgerId: String?, page: PageRequest)
        async throws -> (entries: [LoyaltyLedgerEntry], hasMore: Bool)
    /// The holder's additions in one state at `now` (`active`, `pending` or `expired`), newest first, each with
    /// the points it holds in that state (its unspent rest, or what expired of it).
    func loyaltyPoints(programId: Int64, holder: LoyaltyHolder, status: String, subledgerIds: [String], now: Date,
                       page: PageRequest) async throws -> (entries: [LoyaltyLedgerEntry], hasMore: Bool)
    /// Appends entries in one transaction: additions as they are, spends and deductions guarded (throws
    /// ``LoyaltyBalanceTooLow`` and writes nothing when one would overdraw).
    func appendLoyaltyEntries(_ entries: [LoyaltyLedgerEntry], now: Date) async throws
    /// Activates the points that wait for an activation call (`on_action`), of one closed session or by their
    /// transaction UUIDs; they expire as the program's validity says from `now`. Returns the activated entries.
    func activateLoyaltyPoints(programId: Int64, applicationId: Int64, sessionId: String?, transactionUUIDs: [String],
                               now: Date) async throws -> [LoyaltyLedgerEntry]
    /// Records the activations and expiries due by `now` in every ledger (the lifecycle worker); returns how
    /// many lots changed. Idempotent: each lot is activated and expired once.
    func recordDueLoyaltyChanges(now: Date) async throws -> Int
}

/// What a close added (+) or spent (−) in one program, kept in its ``CloseLedger`` for the cancel's effects.
public struct LoyaltyMovement: Sendable, Hashable, Codable {
    public var campaignId: Int64
    public var programId: Int64
    public var subledgerId: String
    public var profileId: String
    public var cardIdentifier: String?
    public var points: Decimal
    public var transactionUUID: String
    /// What returns rolled back (or refunded) of it so far (absent: nothing), so a cancel gives back the rest.
    public var returned: Decimal?

    public init(campaignId: Int64, programId: Int64, subledgerId: String, profileId: String, points: Decimal,
                transactionUUID: String)
    {
        (self.campaignId, self.programId, self.subledgerId) = (campaignId, programId, subledgerId)
        (self.profileId, self.points, self.transactionUUID) = (profileId, points, transactionUUID)
    }
}

/// A loyalty card of a card-based program and the profiles linked to it.
public struct LoyaltyCard: Sendable, Hashable {
    public var id: Int64
    public var programId: Int64
    public var identifier: String
    public var status: String
    public var created: Date
    public var profiles: [(integrationId: String, linked: Date)]
    /// Why the card was blocked (by hand, or by a transfer to `newCardIdentifier`).
    public var blockReason: String?
    public var batchId: String?
    public var modified: Date?
    /// A transfer's two ends: the card the points came from, and the card they went to.
    public var oldCardIdentifier: String?
    public var newCardIdentifier: String?

    public init(id: Int64, programId: Int64, identifier: String, status: String, created: Date,
                profiles: [(integrationId: String, linked: Date)] = [])
    {
        (self.id, self.programId, self.identifier, self.status, self.created, self.profiles) =
            (id, programId, identifier, status, created, profiles)
    }

    public static func == (left: LoyaltyCard, right: LoyaltyCard) -> Bool {
        left.id == right.id && left.status == right.status && left.blockReason == right.blockReason
            && left.profiles.map(\.integrationId) == right.profiles.map(\.integrationId)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// Loyalty cards of card-based programs.
public protocol LoyaltyCardStore: Sendable {
    /// Creates a card (throws ``StoreError/conflict(_:)`` when the identifier exists in the program) linked to
    /// the profiles, within the program's `usersPerCardLimit`.
    func createLoyaltyCard(programId: Int64, identifier: String, status: String, profileIds: [String], now: Date)
        async throws -> LoyaltyCard
    func loyaltyCard(programId: Int64, identifier: String) async throws -> LoyaltyCard
    /// Links a profile (once; a full card throws ``LoyaltyCardFull``).
    func linkLoyaltyCard(programId: Int64, identifier: String, profileId: String, now: Date) async throws -> LoyaltyCard
    func unlinkLoyaltyCard(programId: Int64, identifier: String, profileId: String) async throws -> LoyaltyCard
    /// The program's cards in id order, optionally by identifier, linked profile or batch.
    func loyaltyCards(programId: Int64, filter: LoyaltyCardFilter, page: PageRequest) async throws
        -> (cards: [LoyaltyCard], hasMore: Bool)
    /// Sets the card's status (`active`, `inactive`: blocked, it neither earns nor spends) and block reason.
    func updateLoyaltyCard(programId: Int64, identifier: String, status: String, blockReason: String?, now: Date)
        async throws -> LoyaltyCard
    /// Deletes the card, its links and its ledger.
    func deleteLoyaltyCard(programId: Int64, identifier: String) async throws
    /// Moves an active card's profiles, ledger and balances to a new card `newIdentifier` and blocks the old one,
    /// in one transaction that locks the old card's balance rows first, so a concurrent spend either happens
    /// before the move or finds nothing to spend. Throws ``LoyaltyCardNotActive`` for a blocked card and
    /// ``StoreError/conflict(_:)`` when the new identifier exists. Returns the new card.
    func transferLoyaltyCard(programId: Int64, identifier: String, newIdentifier: String, blockReason: String?,
                             now: Date) async throws -> LoyaltyCard
    /// Creates cards with the identifiers given, skipping those that exist (one `INSERT … ON CONFLICT DO NOTHING`
    /// each); returns how many were created.
    func createLoyaltyCards(programId: Int64, identifiers: [String], status: String, batchId: String, now: Date)
        async throws -> Int
    /// Creates every card with its linked profiles in one transaction, or none: an identifier that exists throws
    /// ``LoyaltyCardExists`` with its index, a card over the link limit ``LoyaltyCardFull``.
    func importLoyaltyCards(programId: Int64, cards: [LoyaltyCardImport], batchId: String, now: Date) async throws
}

/// A row of a card import.
public struct LoyaltyCardImport: Sendable, Hashable {
    public var identifier: String
    public var status: String
    public var profileIds: [String]
    public init(identifier: String, status: String, profileIds: [String]) {
        (self.identifier, self.status, self.profileIds) = (identifier, status, profileIds)
    }
}

/// An imported card's identifier exists in the program: nothing was imported.
public struct LoyaltyCardExists: Error, Sendable, Equatable {
    public var index: Int
    public init(index: Int) { self.index = index }
}

/// Which cards a listing names.
public struct LoyaltyCardFilter: Sendable, Hashable {
    public var identifier: String?
    public var profileId: String?
    public var batchId: String?
    public init(identifier: String? = nil, profileId: String? = nil, batchId: String? = nil) {
        (self.identifier, self.profileId, self.batchId) = (identifier, profileId, batchId)
    }
}

/// The card is blocked (`inactive`): it cannot be transferred.
public struct LoyaltyCardNotActive: Error, Sendable, Equatable {
    public init() {}
}

/// The card already has as many profiles as its program's `usersPerCardLimit` allows.
public struct LoyaltyCardFull: Error, Sendable, Equatable {
    public var limit: Int
    public init(limit: Int) { self.limit = limit }
}
