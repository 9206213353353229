import Foundation

/// What the engine knows of one loyalty program for the session's profile: the program (for its timing and
/// tiers) and the profile's active points in each subledger, read by the service before evaluation.
public struct LoyaltyStanding: Sendable, Hashable {
    public var program: LoyaltyProgram
    /// Active points per subledger (`""` is the main ledger).
    public var activePoints: [String: Decimal]
    /// The session's card is blocked (`inactive`): it neither earns nor spends.
    public var cardBlocked = false
    /// The holder's stored tiers per subledger and join date (``LoyaltyProgram/settledTier`` brings them to now).
    public var tiers: [String: LoyaltyTierStanding] = [:]
    public var joined: Date?

    public init(program: LoyaltyProgram, activePoints: [String: Decimal] = [:]) {
        (self.program, self.activePoints) = (program, activePoints)
    }
}

/// The props of the loyalty effects (`addLoyaltyPoints`, `deductLoyaltyPoints` and their rollbacks).
public struct LoyaltyPointsChange: Sendable, Hashable {
    public var name: String
    public var programId: Int64
    public var subledgerId: String
    /// Points, positive: added, deducted or rolled back as the effect type says.
    public var value: Decimal
    public var recipientIntegrationId: String
    public var cardIdentifier: String?
    /// When added points become active (nil: at once, or on an activation call when `awaitsActivation`).
    public var startDate: Date?
    public var expiryDate: Date?
    public var awaitsActivation = false
    public var transactionUUID: String

    public init(name: String, programId: Int64, subledgerId: String, value: Decimal, recipientIntegrationId: String,
                cardIdentifier: String? = nil, startDate: Date? = nil, expiryDate: Date? = nil,
                transactionUUID: String = UUID().uuidString.lowercased())
    {
        (self.name, self.programId, self.subledgerId, self.value) = (name, programId, subledgerId, value)
        (self.recipientIntegrationId, self.cardIdentifier) = (recipientIntegrationId, cardIdentifier)
        (self.startDate, self.expiryDate, self.transactionUUID) = (startDate, expiryDate, transactionUUID)
    }
}

/// Loyalty points arithmetic: points are exact decimals with two places.
public enum LoyaltyPoints {
    /// Points a rule grants are kept to two decimal places, half away from zero.
    public static func normalized(_ points: Decimal) -> Decimal { Money.round(points, scale: 2) }

    /// How a rule counts earned points: `points` for every whole (or rounded) `per` of `amount`.
    public enum Rounding: String, Sendable, CaseIterable {
        case down, up, nearest, exact
    }

    /// `points` per `per` of `amount`, the number of `per`s rounded as asked (`exact`: proportional, to 2 places).
    /// 1 point per 10 € of 95.50 € is 9 (`down`), 10 (`up`, `nearest`), 9.55 (`exact`).
    public static func earned(amount: Decimal, per: Decimal, points: Decimal, rounding: Rounding) -> Decimal {
        guard per > 0, amount > 0 else { return 0 }
        var ratio = amount / per
        var units = Decimal()
        switch rounding {
        case .down: NSDecimalRound(&units, &ratio, 0, .down)
        case .up: NSDecimalRound(&units, &ratio, 0, .up)
        case .nearest: NSDecimalRound(&units, &ratio, 0, .plain)
        case .exact: return normalized(ratio * points)
        }
        return normalized(units * points)
    }
}
