import Foundation

/// A campaign ready to run: what the engine needs of the campaign and its active ruleset, compiled.
///
/// Built once when a ruleset is activated (see ``RulesetCompiler``) and cached; never compiled on the
/// request path.
public struct CampaignProgram: Sendable {
    public var campaignId: Int64
    public var rulesetId: Int64
    public var name: String
    public var enabled: Bool
    public var startTime: Date?
    public var endTime: Date?
    /// The campaign has the `coupons` feature: its rules are evaluated once per coupon code of theirs.
    public var usesCoupons: Bool
    /// The campaign's budgets (`redeemCoupon`, `setDiscount`, … per campaign; see ``CampaignBudget``).
    public var limits: [LimitConfig]
    public var rules: [CompiledRule] {
        didSet { gates = rules.map(RuleGate.init) }
    }
    /// What each rule needs before it can run, kept apart from the rules' closures so that the check that
    /// skips most campaigns copies (and retains) nothing of theirs.
    private var gates: [RuleGate]
    /// How the campaign draws referral codes (`createReferral`); nil: the campaign has no `referrals` feature.
    public var referralCodePattern: CouponPattern?

    public init(
        campaignId: Int64, rulesetId: Int64, name: String, enabled: Bool = true, startTime: Date? = nil,
        endTime: Date? = nil, usesCoupons: Bool = false, limits: [LimitConfig] = [],
        rules: [CompiledRule]
    ) {
        self.limits = limits
        self.campaignId = campaignId
        self.rulesetId = rulesetId
        self.name = name
        self.enabled = enabled
        self.startTime = startTime
        self.endTime = endTime
        self.usesCoupons = usesCoupons
        self.rules = rules
        gates = rules.map(RuleGate.init)
    }

    /// Whether some rule could fire for this cart without a coupon: false when every rule needs a cart item
    /// the cart lacks (or a coupon), so the engine skips the campaign before any per-campaign work.
    func mayApply(withoutCouponIn scope: RuleScope) -> Bool {
        for index in gates.indices where !gates[index].requiresCoupon {
            guard let requirement = gates[index].requiredCartItem else { return true }
            if scope.cartHas(requirement) { return true }
        }
        return false
    }

    /// Enabled and scheduled at `now` (start inclusive, end exclusive).
    public func isRunning(at now: Date) -> Bool {
        enabled && (startTime.map { $0 <= now } ?? true) && (endTime.map { now < $0 } ?? true)
    }
}

/// A rule: a condition and the effects that run when it holds, both compiled to closures over a ``RuleScope``.
public struct CompiledRule: Sendable {
    public typealias Condition = @Sendable (RuleScope) throws -> Bool
    public typealias EffectAction = @Sendable (RuleScope) throws -> Void

    public var title: String
    public var condition: Condition
    public var effects: [EffectAction]
    /// The condition cannot hold without a valid coupon (`couponValid` at its top or in a top-level `and`):
    /// the engine skips the rule when no coupon is bound, without evaluating it.
    public var requiresCoupon: Bool
    /// The condition cannot hold unless the cart has an item with this category or SKU (an `exists` over
    /// `Session.CartItems` comparing `Item.Category`/`Item.SKU` to a literal, at its top or in a top-level
    /// `and`): the engine skips the rule for other carts without evaluating it — an index, not a guess.
    public var requiredCartItem: CartItemRequirement?
    /// The condition in parts, each with its JSON pointer in the ruleset, to say which one failed
    /// (`ruleFailureReasons`); only evaluated when a client asks why rules did not apply.
    public var conditionParts: [ConditionPart]
    /// Every function the rule calls (condition and effects), so the session path reads what a feature needs
    /// (audience memberships, …) only when some live rule uses it.
    public var calledFunctions: Set<String> = []

    public struct ConditionPart: Sendable {
        public var pointer: String
        public var test: Condition

        public init(pointer: String, test: @escaping Condition) {
            self.pointer = pointer
            self.test = test
        }
    }

    public init(title: String, condition: @escaping Condition, effects: [EffectAction], requiresCoupon: Bool = false,
                requiredCartItem: CartItemRequirement? = nil, conditionParts: [ConditionPart] = [])
    {
        self.conditionParts = conditionParts
        self.title = title
        self.condition = condition
        self.effects = effects
        self.requiresCoupon = requiresCoupon
        self.requiredCartItem = requiredCartItem
    }
}

/// A rule's preconditions: a coupon, a cart item.
private struct RuleGate: Sendable {
    var requiresCoupon: Bool
    var requiredCartItem: CartItemRequirement?

    init(_ rule: CompiledRule) {
        requiresCoupon = rule.requiresCoupon
        requiredCartItem = rule.requiredCartItem
    }
}

/// "The cart has an item whose category (or SKU) is exactly this."
public struct CartItemRequirement: Sendable, Hashable {
    public enum Field: String, Sendable, Hashable { case category = "Category", sku = "SKU" }
    public var field: Field
    public var value: String

    public init(field: Field, value: String) {
        self.field = field
        self.value = value
    }
}
