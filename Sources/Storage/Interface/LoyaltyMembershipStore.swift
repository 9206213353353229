import Foundation
import PromotionEngine

/// A holder's membership of a program as stored: its join date and its tier per (sub)ledger (`""`: the main
/// ledger). Tiers are brought to a date with ``LoyaltyProgram/settledTier(_:points:joined:now:)``.
public struct LoyaltyMembership: Sendable, Hashable {
    public var joined: Date?
    public var tiers: [String: LoyaltyTierStanding]

    public init(joined: Date? = nil, tiers: [String: LoyaltyTierStanding] = [:]) {
        (self.joined, self.tiers) = (joined, tiers)
    }
}

/// One stored membership row, for the tier and join-date exports: the holder's join date (main-ledger rows),
/// its stored tier and the ledger's active points.
public struct LoyaltyMemberRow: Sendable, Hashable {
    public var holder: String
    public var subledgerId: String
    public var joined: Date?
    public var tier: LoyaltyTierStanding?
    public var activePoints: Decimal

    public init(holder: String, subledgerId: String, joined: Date?, tier: LoyaltyTierStanding?, activePoints: Decimal) {
        (self.holder, self.subledgerId, self.joined, self.tier, self.activePoints) =
            (holder, subledgerId, joined, tier, activePoints)
    }
}

/// A row of `importLoyaltyCustomersTiers`: the profile is put in the tier until `expiry`.
public struct LoyaltyTierImport: Sendable, Hashable {
    public var profileId: String
    public var subledgerId: String
    public var tierName: String
    public var expiry: Date

    public init(profileId: String, subledgerId: String, tierName: String, expiry: Date) {
        (self.profileId, self.subledgerId, self.tierName, self.expiry) = (profileId, subledgerId, tierName, expiry)
    }
}

/// A row of `importLoyaltyJoinDates`.
public struct LoyaltyJoinDateImport: Sendable, Hashable {
    public var profileId: String
    public var joined: Date

    public init(profileId: String, joined: Date) { (self.profileId, self.joined) = (profileId, joined) }
}

/// A tier a closing session assigns (a `changeLoyaltyTierLevel` effect), applied after its ledger entries.
public struct LoyaltyTierAssignment: Sendable, Hashable {
    public var programId: Int64
    public var holder: LoyaltyHolder
    public var subledgerId: String
    public var tierName: String

    public init(programId: Int64, holder: LoyaltyHolder, subledgerId: String, tierName: String) {
        (self.programId, self.holder, self.subledgerId, self.tierName) = (programId, holder, subledgerId, tierName)
    }
}

/// An imported row names a customer profile that does not exist: nothing was imported.
public struct LoyaltyImportUnknownProfile: Error, Sendable, Equatable {
    /// The row's index in the import.
    public var index: Int
    public init(index: Int) { self.index = index }
}

/// Stored memberships: join dates and tiers, their imports, and the dashboard's daily figures. Every write of a
/// holder's points settles its tiers in the same transaction (the ledger steps of both backends).
public protocol LoyaltyMembershipStore: Sendable {
    func loyaltyMembership(programId: Int64, holder: LoyaltyHolder) async throws -> LoyaltyMembership
    /// Up to `limit` membership rows of one holder kind after (`holder`, `subledgerId`), in that order.
    func loyaltyMembers(programId: Int64, holderKind: String, after: (holder: String, subledgerId: String)?,
                        limit: Int) async throws -> [LoyaltyMemberRow]
    /// Puts each profile in its tier until the row's expiry (a profile already in that tier keeps its start), in
    /// one transaction; a profile unknown to the program's applications throws ``LoyaltyImportUnknownProfile``.
    func importLoyaltyTiers(programId: Int64, rows: [LoyaltyTierImport], now: Date) async throws
    /// Sets each profile's join date, replacing the stored one, in one transaction; a profile unknown to the
    /// program's applications throws ``LoyaltyImportUnknownProfile``.
    func importLoyaltyJoinDates(programId: Int64, rows: [LoyaltyJoinDateImport]) async throws
    /// The program's figures at the end of each day (`days`: consecutive intervals), summed from the ledger:
    /// totals as of the day's end, the day's movements and new members (optionally of one subledger).
    func loyaltyDashboard(programId: Int64, subledgerId: String?, days: [DateInterval], now: Date) async throws
        -> [LoyaltyProgramTotals]
}

extension LoyaltyMembershipStore {
    /// Every membership row of a holder kind, a page at a time.
    public func forEachLoyaltyMemberPage(programId: Int64, holderKind: String, pageSize: Int = 1000,
                                         _ body: ([LoyaltyMemberRow]) async throws -> Void) async throws
    {
        var after: (holder: String, subledgerId: String)?
        while true {
            let page = try await loyaltyMembers(programId: programId, holderKind: holderKind, after: after,
                                                limit: pageSize)
            if !page.isEmpty { try await body(page) }
            guard page.count == pageSize, let last = page.last else { return }
            after = (last.holder, last.subledgerId)
        }
    }
}
