import Foundation

/// A campaign's lifecycle switch; only `enabled` campaigns are evaluated.
public enum CampaignState: String, Sendable, Hashable, Codable, CaseIterable, ClosedSetDecodable {
    case enabled, disabled, archived
}

/// What a campaign can do beyond plain rules.
public enum CampaignFeature: String, Sendable, Hashable, Codable, CaseIterable, ClosedSetDecodable {
    case coupons, referrals, loyalty, giveaways, strikethrough, achievements
}

/// What a user sets on a campaign (`NewCampaign` / `UpdateCampaign`).
public struct CampaignSettings: Sendable, Hashable, Codable {
    public var name: String
    public var description: String?
    public var state: CampaignState
    public var startTime: Date?
    public var endTime: Date?
    public var attributes: [String: JSONValue]?
    public var tags: [String]
    public var features: [CampaignFeature]
    public var limits: [LimitConfig]
    public var couponSettings: JSONValue?
    public var referralSettings: JSONValue?
    public var campaignGroups: [Int64]?
    public var type: String?
    /// Set on update to switch the campaign to another ruleset version of its own.
    public var activeRulesetId: Int64?

    public init(name: String, state: CampaignState = .enabled, tags: [String] = [], features: [CampaignFeature] = [],
                limits: [LimitConfig] = [])
    {
        self.name = name
        self.state = state
        self.tags = tags
        self.features = features
        self.limits = limits
    }

    public func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(.init(pointer: "/name", message: "must not be empty"))
        }
        if let startTime, let endTime, endTime <= startTime {
            issues.append(.init(pointer: "/endTime", message: "must be after startTime"))
        }
        if tags.count > 50 { issues.append(.init(pointer: "/tags", message: "must have at most 50 tags")) }
        for (index, tag) in tags.enumerated() where tag.isEmpty || tag.count > 50 {
            issues.append(.init(pointer: "/tags/\(index)", message: "must be 1 to 50 characters"))
        }
        if let type, !["cartItem", "advanced"].contains(type) {
            issues.append(.init(pointer: "/type", message: "must be cartItem or advanced"))
        }
        for (index, limit) in limits.enumerated() { issues += limit.validate(at: "/limits/\(index)") }
        issues += Self.codeGeneratorIssues(couponSettings, at: "/couponSettings")
        issues += Self.codeGeneratorIssues(referralSettings, at: "/referralSettings")
        return issues
    }

    /// Talon.One's `CodeGeneratorSettings` requires both fields; a campaign saved without one would be answered in
    /// a shape the spec (and the SDK's model) refuses.
    static func codeGeneratorIssues(_ settings: JSONValue?, at pointer: String) -> [ValidationIssue] {
        guard let settings, settings != .null else { return [] }
        guard case .object(let members) = settings else {
            return [.init(pointer: pointer, message: "must be an object with couponPattern and validCharacters")]
        }
        var issues: [ValidationIssue] = []
        if case .string(let pattern)? = members["couponPattern"], !pattern.isEmpty {} else {
            issues.append(.init(pointer: pointer + "/couponPattern", message: "is required: a pattern such as \"REF-####\""))
        }
        let characters = members["validCharacters"].flatMap { value -> [JSONValue]? in
            if case .array(let items) = value { items } else { nil }
        }
        if characters.map({ $0.isEmpty || $0.contains { if case .string = $0 { false } else { true } } }) ?? true {
            issues.append(.init(pointer: pointer + "/validCharacters",
                                message: "is required: a non-empty list of characters, e.g. [\"A\", \"B\", \"C\"]"))
        }
        return issues
    }
}

/// What closing sessions added up for a campaign (the counters the `Campaign` model carries).
public struct CampaignCounters: Sendable, Hashable, Codable {
    public var couponRedemptionCount = 0
    public var discountCount: Decimal = 0
    public var discountEffectCount = 0
    public var addFreeItemEffectCount = 0
    public var customEffectCount = 0
    public var couponCreationCount = 0
    /// Referrals redeemed by closes and created by rules; loyalty points rules added and deducted, and their
    /// effects (counted on every close, as the spec's deprecated counters; budgets count in ``actionCounters``).
    public var referralRedemptionCount = 0
    public var referralCreationCount = 0
    public var createdLoyaltyPoints: Decimal = 0
    public var createdLoyaltyPointsEffectCount = 0
    public var redeemedLoyaltyPoints: Decimal = 0
    public var redeemedLoyaltyPointsEffectCount = 0
    public var lastActivity: Date?
    /// Use in the current periods, by ``BudgetPeriod`` key (loaded for budgeted campaigns only).
    public var periods: [String: PeriodCounters]? = nil
    /// Use of the loyalty and referral budgets (``ActionBudget``): the campaign's and the session profile's, in
    /// the current periods (loaded by a session snapshot, for campaigns with such budgets only).
    public var actionCounters: [ActionCounterKey: Decimal]? = nil

    public init() {}
}

/// A campaign of an application.
public struct Campaign: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var applicationId: Int64
    public var userId: Int64
    public var created: Date
    public var updated: Date
    public var activeRulesetId: Int64?
    public var settings: CampaignSettings
    public var counters: CampaignCounters

    public init(id: Int64, applicationId: Int64, userId: Int64, created: Date, updated: Date, activeRulesetId: Int64?,
                settings: CampaignSettings, counters: CampaignCounters = .init())
    {
        self.id = id
        self.applicationId = applicationId
        self.userId = userId
        self.created = created
        self.updated = updated
        self.activeRulesetId = activeRulesetId
        self.settings = settings
        self.counters = counters
    }

    /// The state the Campaign Manager shows: scheduled, running, expired, disabled or archived.
    public func frontendState(at now: Date) -> String {
        switch settings.state {
        case .disabled: return "disabled"
        case .archived: return "archived"
        case .enabled:
            if let start = settings.startTime, start > now { return "scheduled" }
            if let end = settings.endTime, end <= now { return "expired" }
            return "running"
        }
    }
}

/// An immutable version of a campaign's rules.
public struct Ruleset: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var campaignId: Int64
    public var userId: Int64
    public var created: Date
    public var rules: [RuleDefinition]
    public var bindings: [JSONValue]
    public var strikethroughRules: [RuleDefinition]

    public init(id: Int64, campaignId: Int64, userId: Int64, created: Date, rules: [RuleDefinition],
                bindings: [JSONValue] = [], strikethroughRules: [RuleDefinition] = [])
    {
        self.id = id
        self.campaignId = campaignId
        self.userId = userId
        self.created = created
        self.rules = rules
        self.bindings = bindings
        self.strikethroughRules = strikethroughRules
    }
}
