import Foundation

/// A holder's tier in one (sub)ledger: which tier, since when, and when it is reevaluated.
public struct LoyaltyTierStanding: Sendable, Hashable {
    public var name: String
    public var start: Date
    /// When the tier is reevaluated (advanced tiers only); nil: never, the tier follows the balance.
    public var expiry: Date?

    public init(name: String, start: Date, expiry: Date? = nil) {
        (self.name, self.start, self.expiry) = (name, start, expiry)
    }
}

// Tier rules as far as the SDK's `LoyaltyProgram` defines them. Basic tiers (no `tiersExpireIn`) follow the
// active points both ways. Advanced tiers (`tiersExpireIn`) move up as soon as the points reach a higher tier and
// are kept until their expiry, which `tiersExpirationPolicy` sets; then `tiersDowngradePolicy` reevaluates them:
// `one_down` drops one tier when the points no longer reach the current one, `balance_based` (the default) takes
// the tier the points reach.
extension LoyaltyProgram {
    /// The advanced tiers' period (`tiersExpireIn`); nil for basic tiers.
    public var tierPeriod: LoyaltyDuration? { settings.tiersExpireIn.flatMap(LoyaltyDuration.init) }

    /// The tier's place in the tiers by rising minimum.
    public func tierRank(_ name: String) -> Int? { tiers.firstIndex { $0.name == name } }

    /// When a tier entered at `start` is reevaluated: `tiersExpireIn` after the tier's start (`tier_start_date`,
    /// the default), the first end of a period counted from the join date (`program_join_date`) or from
    /// `tierCycleStartDate` (`absolute_expiration`, else the program's creation) after `start`; never for basic
    /// tiers and for `customer_attribute` (Sconto has no attribute to read it from).
    public func tierExpiry(enteredAt start: Date, joined: Date?) -> Date? {
        guard let period = tierPeriod else { return nil }
        switch settings.tiersExpirationPolicy {
        case "customer_attribute": return nil
        case "program_join_date": return firstPeriodEnd(period, from: joined ?? start, after: start)
        case "absolute_expiration":
            return firstPeriodEnd(period, from: settings.tierCycleStartDate ?? created, after: start)
        default: return period.end(from: start, timeZone: timeZone)
        }
    }

    private func firstPeriodEnd(_ period: LoyaltyDuration, from origin: Date, after date: Date) -> Date? {
        var (end, steps) = (period.end(from: origin, timeZone: timeZone), 0)
        while end <= date, steps < 100_000 {
            let next = period.end(from: end, timeZone: timeZone)
            guard next > end else { return nil }
            (end, steps) = (next, steps + 1)
        }
        return end > date ? end : nil
    }

    /// The tier a holder with `current` is in at `now` with `points` active points (nil: in none): reevaluations
    /// that fell due are made at their expiry dates; when `following` (a write that changed the points), basic
    /// tiers then follow the points and advanced tiers move up to the tier the points reach. Reads do not follow:
    /// a tier set by hand, an import or a rule stays until the points next change (as Talon.One's imports do).
    public func settledTier(_ current: LoyaltyTierStanding?, points: Decimal, joined: Date?, now: Date,
                            following: Bool = true) -> LoyaltyTierStanding?
    {
        let tiers = self.tiers
        guard !tiers.isEmpty else { return nil }
        let qualified = tiers.lastIndex { $0.minPoints <= points }
        func entering(_ rank: Int?, at date: Date) -> LoyaltyTierStanding? {
            rank.map { LoyaltyTierStanding(name: tiers[$0].name, start: date, expiry: tierExpiry(enteredAt: date, joined: joined)) }
        }
        guard var standing = current, var rank = tierRank(standing.name) else { return entering(qualified, at: now) }
        guard tierPeriod != nil else { return !following || qualified == rank ? standing : entering(qualified, at: now) }
        for _ in 0..<10_000 {
            guard let expiry = standing.expiry, expiry <= now else { break }
            let target: Int? = if settings.tiersDowngradePolicy == "one_down" {
                (qualified ?? -1) >= rank ? qualified : (rank > 0 ? rank - 1 : nil)
            } else {
                qualified
            }
            guard let target else { return nil }
            if target == rank {
                let renewed = tierExpiry(enteredAt: expiry, joined: joined)
                standing.expiry = renewed.flatMap { $0 > expiry ? $0 : nil }
            } else if let next = entering(target, at: expiry) {
                (standing, rank) = (next, target)
            }
        }
        if following, let qualified, qualified > rank { return entering(qualified, at: now) }
        return standing
    }

    /// The tier above `current` (the lowest tier when in none) and how many points it still needs.
    public func nextTier(after current: String?, points: Decimal) -> (name: String, pointsNeeded: Decimal)? {
        let tiers = self.tiers
        let index = current.flatMap(tierRank).map { $0 + 1 } ?? 0
        guard index < tiers.count else { return nil }
        return (tiers[index].name, max(tiers[index].minPoints - points, 0))
    }
}

/// The props of `changeLoyaltyTierLevel` (the spec's `ChangeLoyaltyTierLevelEffectProps`), and whose tier moves.
public struct LoyaltyTierChange: Sendable, Hashable {
    public var ruleTitle: String
    public var programId: Int64
    public var subledgerId: String
    public var previousTierName: String?
    public var newTierName: String
    public var expiryDate: Date?
    /// The holder (not a prop): the session's profile, or its card in a card-based program.
    public var recipientIntegrationId: String
    public var cardIdentifier: String?

    public init(ruleTitle: String, programId: Int64, subledgerId: String, previousTierName: String?,
                newTierName: String, expiryDate: Date?, recipientIntegrationId: String, cardIdentifier: String? = nil)
    {
        (self.ruleTitle, self.programId, self.subledgerId) = (ruleTitle, programId, subledgerId)
        (self.previousTierName, self.newTierName, self.expiryDate) = (previousTierName, newTierName, expiryDate)
        (self.recipientIntegrationId, self.cardIdentifier) = (recipientIntegrationId, cardIdentifier)
    }

    public var props: [String: JSONValue] {
        var props: [String: JSONValue] = [
            "ruleTitle": .string(ruleTitle), "programId": .number(Decimal(programId)),
            "subLedgerId": .string(subledgerId), "newTierName": .string(newTierName),
        ]
        if let previousTierName { props["previousTierName"] = .string(previousTierName) }
        if let expiryDate { props["expiryDate"] = .string(LoyaltyPointsChange.text(expiryDate)) }
        return props
    }

    init(props: [String: JSONValue]) throws {
        func string(_ key: String) -> String? { if case .string(let text)? = props[key] { text } else { nil } }
        guard case .number(let programId)? = props["programId"], let newTierName = string("newTierName") else {
            throw EffectDocumentError(message: "changeLoyaltyTierLevel effect: props.programId and props.newTierName are required")
        }
        self.init(ruleTitle: string("ruleTitle") ?? "", programId: NSDecimalNumber(decimal: programId).int64Value,
                  subledgerId: string("subLedgerId") ?? "", previousTierName: string("previousTierName"),
                  newTierName: newTierName, expiryDate: string("expiryDate").flatMap(LoyaltyPointsChange.date),
                  recipientIntegrationId: "")
    }
}
