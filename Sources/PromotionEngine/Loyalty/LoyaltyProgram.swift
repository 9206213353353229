import Foundation

/// A loyalty program as the account configures it (Talon.One's `NewLoyaltyProgram` fields).
public struct LoyaltyProgramSettings: Sendable, Hashable, Codable {
    /// The internal name; set at creation and never changed.
    public var name: String
    public var title: String
    public var description: String
    public var subscribedApplications: [Int64]
    /// How long points stay valid: `unlimited` or a ``LoyaltyDuration`` such as `30D` or `1M_U`.
    public var defaultValidity: String
    /// When points become active: `immediate`, `on_action` (an `activate_points` call) or a ``LoyaltyDuration``.
    public var defaultPending: String
    public var allowSubledger: Bool
    public var usersPerCardLimit: Int?
    public var sandbox: Bool
    public var programJoinPolicy: String?
    public var tiersExpirationPolicy: String?
    public var tiersExpireIn: String?
    public var tiersDowngradePolicy: String?
    /// Where the tier cycles of `absolute_expiration` start.
    public var tierCycleStartDate: Date?
    public var returnPolicy: String?
    public var cardBased: Bool
    public var timezone: String
    public var tiers: [LoyaltyTierSettings]?

    public init(name: String, title: String, description: String = "", subscribedApplications: [Int64] = [],
                defaultValidity: String = "unlimited", defaultPending: String = "immediate",
                allowSubledger: Bool = false, sandbox: Bool = false, cardBased: Bool = false,
                timezone: String = "UTC", tiers: [LoyaltyTierSettings]? = nil)
    {
        (self.name, self.title, self.description) = (name, title, description)
        (self.subscribedApplications, self.defaultValidity, self.defaultPending) =
            (subscribedApplications, defaultValidity, defaultPending)
        (self.allowSubledger, self.sandbox, self.cardBased, self.timezone, self.tiers) =
            (allowSubledger, sandbox, cardBased, timezone, tiers)
    }

    static let joinPolicies: Set<String> = ["not_join", "points_activated", "points_earned"]
    static let tierExpirationPolicies: Set<String> = [
        "tier_start_date", "program_join_date", "customer_attribute", "absolute_expiration",
    ]
    static let downgradePolicies: Set<String> = ["one_down", "balance_based"]
    static let returnPolicies: Set<String> = ["only_pending", "within_balance", "unlimited"]

    /// What is wrong with these settings, by JSON pointer into the request body.
    public func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func require(_ ok: Bool, _ pointer: String, _ message: String) {
            if !ok { issues.append(.init(pointer: pointer, message: message)) }
        }
        require(!name.trimmingCharacters(in: .whitespaces).isEmpty, "/name", "must not be empty")
        require(!title.trimmingCharacters(in: .whitespaces).isEmpty, "/title", "must not be empty")
        require(LoyaltyTiming.validity(defaultValidity) != nil, "/defaultValidity",
                "must be 'unlimited' or a duration such as 30D, 2W_U, 1M")
        require(LoyaltyTiming.pending(defaultPending) != nil, "/defaultPending",
                "must be 'immediate', 'on_action' or a duration such as 1D, 2W_U")
        require(TimeZone(identifier: timezone) != nil, "/timezone", "must be an IANA time zone such as Europe/Berlin")
        require((usersPerCardLimit ?? 0) >= 0, "/usersPerCardLimit", "must be 0 (no limit) or more")
        require(programJoinPolicy.map(Self.joinPolicies.contains) ?? true, "/programJoinPolicy",
                "must be one of \(Self.joinPolicies.sorted().joined(separator: ", "))")
        require(tiersExpirationPolicy.map(Self.tierExpirationPolicies.contains) ?? true, "/tiersExpirationPolicy",
                "must be one of \(Self.tierExpirationPolicies.sorted().joined(separator: ", "))")
        require(tiersDowngradePolicy.map(Self.downgradePolicies.contains) ?? true, "/tiersDowngradePolicy",
                "must be one of \(Self.downgradePolicies.sorted().joined(separator: ", "))")
        require(returnPolicy.map(Self.returnPolicies.contains) ?? true, "/returnPolicy",
                "must be one of \(Self.returnPolicies.sorted().joined(separator: ", "))")
        require(tiersExpireIn.map { LoyaltyDuration($0) != nil } ?? true, "/tiersExpireIn",
                "must be a duration such as 27W_U")
        var names = Set<String>()
        for (index, tier) in (tiers ?? []).enumerated() {
            require(!tier.name.isEmpty && names.insert(tier.name).inserted, "/tiers/\(index)/name",
                    "must be a non-empty name used once")
            require(tier.minPoints >= 0, "/tiers/\(index)/minPoints", "must be 0 or more")
        }
        return issues
    }
}

/// A tier as configured: customers with at least `minPoints` active points are in it.
public struct LoyaltyTierSettings: Sendable, Hashable, Codable {
    public var name: String
    public var minPoints: Decimal

    public init(name: String, minPoints: Decimal) { (self.name, self.minPoints) = (name, minPoints) }
}

/// A stored loyalty program.
public struct LoyaltyProgram: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var accountId: Int64
    public var created: Date
    public var settings: LoyaltyProgramSettings

    public init(id: Int64, accountId: Int64, created: Date, settings: LoyaltyProgramSettings) {
        (self.id, self.accountId, self.created, self.settings) = (id, accountId, created, settings)
    }

    public var timeZone: TimeZone { TimeZone(identifier: settings.timezone) ?? .gmt }

    /// The tiers by rising minimum; tier ids are the program's id × 1000 + the tier's index (stable while the
    /// tier list keeps its order).
    public var tiers: [(id: Int64, name: String, minPoints: Decimal)] {
        (settings.tiers ?? []).enumerated()
            .map { (id: id * 1000 + Int64($0.offset + 1), name: $0.element.name, minPoints: $0.element.minPoints) }
            .sorted { $0.minPoints < $1.minPoints }
    }

    /// The highest tier whose minimum `points` reach (tiers follow the active balance).
    public func tier(for points: Decimal) -> (id: Int64, name: String, minPoints: Decimal)? {
        tiers.last { $0.minPoints <= points }
    }

    /// When points earned at `now` become active (nil: at once) and whether they wait for an activation call.
    public func pointsStart(earnedAt now: Date) -> (start: Date?, onAction: Bool) {
        switch LoyaltyTiming.pending(settings.defaultPending) {
        case .onAction: (nil, true)
        case .after(let duration): (duration.end(from: now, timeZone: timeZone), false)
        case .immediate, nil: (nil, false)
        }
    }

    /// When points active from `start` expire (nil: never).
    public func pointsExpiry(activeFrom start: Date) -> Date? {
        guard case .some(.some(let duration)) = LoyaltyTiming.validity(settings.defaultValidity) else { return nil }
        return duration.end(from: start, timeZone: timeZone)
    }
}

/// The program's `defaultPending` and `defaultValidity` words.
public enum LoyaltyTiming: Sendable, Hashable {
    case immediate, onAction, after(LoyaltyDuration)

    public static func pending(_ text: String) -> LoyaltyTiming? {
        switch text {
        case "immediate": .immediate
        case "on_action": .onAction
        default: LoyaltyDuration(text).map(LoyaltyTiming.after)
        }
    }

    /// `.some(nil)`: unlimited; nil: not a validity.
    public static func validity(_ text: String) -> LoyaltyDuration?? {
        text == "unlimited" ? .some(nil) : LoyaltyDuration(text).map { .some($0) }
    }
}
