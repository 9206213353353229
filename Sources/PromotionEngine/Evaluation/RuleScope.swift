import Foundation
import Talang

/// The mutable state of one evaluation, handed to compiled rules and to effect functions.
///
/// One scope lives for one request on one task; it is deliberately not `Sendable`. Effect functions
/// append to ``pendingEffects``; the engine keeps or drops a rule's effects as a whole.
public final class RuleScope {
    public let session: CustomerSession
    public let profile: CustomerProfile?
    public let event: CustomEvent?
    public let application: Application
    public let now: Date

    /// Where effects produced now come from (campaign, ruleset, rule, coupon).
    public internal(set) var origin: EffectOrigin = .engine
    /// The coupon being evaluated, when the campaign uses coupons and one of its codes was sent.
    public internal(set) var coupon: Coupon?
    /// Set when a condition asked `couponValid` and got true: the rule depends on the coupon.
    public internal(set) var couponConsulted = false
    /// The session's referral when its code passed every check (bound as `Referral` for its campaign's rules).
    public internal(set) var referral: Referral?
    /// Set when a condition asked `referralValid` and got true; `referralUsed` once such a rule applied.
    var referralConsulted = false
    var referralUsed = false
    /// The audiences of the profile, as stored before this request.
    public internal(set) var audienceIds: Set<Int64> = []
    /// The collections rules may test membership of.
    public internal(set) var collections = CollectionSets()
    /// Whether to record why rules did not apply, and what was recorded.
    var explainsFailures = false
    /// Additional cost ids by name; a cost the account does not define has id 0.
    var additionalCostIds: [String: Int64] = [:]
    /// Custom effect ids by name; a name computed at run time, which no ruleset declares, has id 0.
    var customEffectIds: [String: Int64] = [:]
    /// The webhooks this application's rules may trigger, by id.
    var webhooks: [Int64: Webhook] = [:]
    var ruleFailures: [RuleFailure] = []
    /// The session profile's loyalty programs by id, and the points this evaluation already deducted from each
    /// program's subledgers (so two rules never spend the same points).
    var loyalty: [Int64: LoyaltyStanding] = [:]
    var loyaltyDeducted: [Int64: [String: Decimal]] = [:]
    /// The profile's standings in the campaigns' achievements, moved by this evaluation's increases, and the
    /// achievements (by id) an increase of this evaluation completed.
    var achievements: [AchievementKey: AchievementStanding] = [:]
    var justCompletedAchievements: Set<Int64> = []
    /// Effects of the rule being run; committed by the engine when the whole rule succeeded.
    public internal(set) var pendingEffects: [Effect] = []
    /// What the current campaign's `setDiscount` budget still allows (nil: no budget).
    public internal(set) var discountBudget: Decimal?
    /// What the bound coupon may still give (its `discountLimit` minus what closed sessions took); nil: no limit.
    public internal(set) var couponDiscountBudget: Decimal?
    /// How many coupons this campaign's rules may still create; nil: no limit.
    public internal(set) var couponCreationBudget: Int?
    /// What this campaign's loyalty budgets still allow, per action (`createLoyaltyPoints`, `redeemLoyaltyPoints`);
    /// absent: no budget.
    var actionsLeft: [LimitAction: Decimal] = [:]
    /// The referral codes of the campaign being run (`createReferral`); nil: it has no `referrals` feature.
    public internal(set) var referralCodePattern: CouponPattern?
    /// The rule language's bindings, built once per evaluation and patched (coupon, cascading total)
    /// rather than rebuilt for every condition: see `RuleBindings`.
    var bindings: [String: TalangValue]?
    var bindingsCouponId: Int64?
    var bindingsTotal: Decimal?
    /// `now` in the rule language's form, converted once per evaluation.
    lazy var talangNow = TalangTime(now)
    /// The cart's categories and SKUs, for rules indexed by a required cart item.
    lazy var cartCategories = Set(session.cartItems.map { $0.category ?? "" })
    lazy var cartSKUs = Set(session.cartItems.map(\.sku))

    func cartHas(_ requirement: CartItemRequirement) -> Bool {
        switch requirement.field {
        case .category: cartCategories.contains(requirement.value)
        case .sku: cartSKUs.contains(requirement.value)
        }
    }

    /// The session's totals before any discount, summed once per evaluation (the bindings show them too).
    let cartItemTotal: Decimal
    let additionalCostTotal: Decimal
    /// Digits of the application's currency that discounts are rounded to.
    private let currencyScale: Int

    /// What discounts may still take: cart items' and additional costs' totals minus discounts so far.
    public internal(set) var remainingItemTotal: Decimal
    public internal(set) var remainingAdditionalCostTotal: Decimal
    var remainingPerItem: [Decimal]
    var remainingPerAdditionalCost: [String: Decimal]

    /// Codes for coupons that rules create; injected so that the engine stays deterministic under test.
    let newCouponCode: @Sendable () -> String

    init(session: CustomerSession, profile: CustomerProfile?, event: CustomEvent?, application: Application, now: Date,
         newCouponCode: @escaping @Sendable () -> String = CouponPattern.createdByRules.randomCode) {
        self.newCouponCode = newCouponCode
        self.session = session
        self.profile = profile
        self.event = event
        self.application = application
        self.now = now
        remainingPerItem = session.cartItems.map(\.total)
        cartItemTotal = remainingPerItem.reduce(0, DecimalMath.sum)
        additionalCostTotal = session.additionalCostTotal
        remainingItemTotal = cartItemTotal
        remainingAdditionalCostTotal = additionalCostTotal
        currencyScale = Money.scale(for: application.settings.currency)
        remainingPerAdditionalCost = session.additionalCosts.mapValues(\.price)
    }

    /// The session total after the discounts given so far (what cascading discounts compute on).
    public var remainingTotal: Decimal { DecimalMath.sum(remainingItemTotal, remainingAdditionalCostTotal) }

    /// `couponValid`: a coupon is bound and passed every validity check.
    public func couponValid() -> Bool {
        guard coupon != nil else { return false }
        couponConsulted = true
        return true
    }

    /// `referralValid`: the session's referral code is valid and belongs to the campaign being evaluated.
    public func referralValid() -> Bool {
        guard let referral, referral.campaignId == origin.campaignId else { return false }
        referralConsulted = true
        return true
    }

    /// The discount this campaign may still give: rounded, never negative, within its budget.
    private func allowed(_ desired: Decimal) -> Decimal {
        var value = Money.round(DecimalMath.max(desired, 0), scale: currencyScale)
        if let budget = discountBudget { value = DecimalMath.min(value, budget) }
        if let budget = couponDiscountBudget { value = DecimalMath.min(value, DecimalMath.max(budget, 0)) }
        return value
    }

    /// Takes a granted discount off the campaign's budget.
    private func spend(_ value: Decimal) {
        if let budget = discountBudget { discountBudget = DecimalMath.difference(budget, value) }
        if let budget = couponDiscountBudget { couponDiscountBudget = DecimalMath.difference(budget, value) }
    }

    /// Discounts never take a total below zero: the applied value is capped and rounded to the currency.
    public func setDiscount(name: String, value desired: Decimal, scope requested: String? = nil) {
        let scope = (requested ?? application.settings.defaultDiscountScope).flatMap(DiscountScope.init(rawValue:))
            ?? .sessionTotal
        var value = allowed(desired)
        switch scope {
        case .cartItems:
            value = DecimalMath.min(value, remainingItemTotal)
            remainingItemTotal = DecimalMath.difference(remainingItemTotal, value)
        case .additionalCosts:
            value = DecimalMath.min(value, remainingAdditionalCostTotal)
            remainingAdditionalCostTotal = DecimalMath.difference(remainingAdditionalCostTotal, value)
        default:
            value = DecimalMath.min(value, remainingTotal)
            let fromItems = DecimalMath.min(value, remainingItemTotal)
            remainingItemTotal = DecimalMath.difference(remainingItemTotal, fromItems)
            remainingAdditionalCostTotal = DecimalMath.difference(
                remainingAdditionalCostTotal, DecimalMath.difference(value, fromItems))
        }
        spend(value)
        pendingEffects.append(.setDiscount(origin, name: name, value: value, desired: desired, scope: scope))
    }

    /// A discount on one cart item (by position), capped at what the item still costs.
    public func setDiscountPerItem(name: String, value desired: Decimal, position: Int) throws {
        guard remainingPerItem.indices.contains(position) else {
            throw EffectError("setDiscountPerItem: there is no cart item at position \(position)")
        }
        let value = min(allowed(desired), remainingPerItem[position], remainingItemTotal)
        spend(value)
        remainingPerItem[position] -= value
        remainingItemTotal -= value
        pendingEffects.append(.setDiscountPerItem(origin, name: name, value: value, desired: desired, position: position))
    }

    /// A discount on one named additional cost of the session, capped at its price.
    public func setDiscountPerAdditionalCost(name: String, additionalCost: String, value desired: Decimal) throws {
        guard let remaining = remainingPerAdditionalCost[additionalCost] else {
            throw EffectError("setDiscountPerAdditionalCost: the session has no additional cost '\(additionalCost)'")
        }
        let value = min(allowed(desired), remaining, remainingAdditionalCostTotal)
        spend(value)
        remainingPerAdditionalCost[additionalCost] = remaining - value
        remainingAdditionalCostTotal -= value
        pendingEffects.append(.setDiscountPerAdditionalCost(
            origin, name: name, additionalCost: additionalCost,
            additionalCostId: additionalCostIds[additionalCost] ?? 0, value: value, desired: desired
        ))
    }

    public func addFreeItem(sku: String, name: String) {
        pendingEffects.append(.addFreeItem(origin, sku: sku, name: name))
    }

    public func showNotification(type: String, title: String, body: String) {
        pendingEffects.append(.showNotification(origin, type: type, title: title, body: body))
    }

    public func updateAttribute(path: String, value: JSONValue) {
        pendingEffects.append(.updateAttribute(origin, path: path, value: value))
    }

    /// `createCoupon`: a single-use coupon of this campaign for `recipient` (a profile integration id; empty
    /// means the session's profile, or nobody for an anonymous session).
    public func createCoupon(recipient: String) {
        // A campaign whose coupon-creation budget is used up creates no more (as a spent discount budget
        // gives nothing more); the rule's other effects still apply.
        if let budget = couponCreationBudget {
            guard budget > 0 else { return }
            couponCreationBudget = budget - 1
        }
        let profileId = recipient.isEmpty ? session.profileId : recipient
        pendingEffects.append(.couponCreated(origin, code: newCouponCode(), profileId: profileId))
    }

    /// The spec types the payload as an object: any other value makes the effect inapplicable.
    public func customEffect(name: String, payload: JSONValue) throws {
        guard case .object = payload else {
            throw EffectError("customEffect: the payload must be a map (build it with kv), not \(payload)")
        }
        pendingEffects.append(.customEffect(origin, effectId: customEffectIds[name] ?? 0, name: name, payload: payload))
    }

    /// `triggerWebhook`: a webhook the application may use, enabled, called with one argument per declared
    /// parameter; otherwise the effect cannot apply (and the rule's other effects are dropped with it).
    public func triggerWebhook(id: Int64, arguments: [JSONValue]) throws {
        guard let webhook = webhooks[id], webhook.settings.enabled, !webhook.settings.draft else {
            throw EffectError("triggerWebhook: webhook \(id) does not exist, is disabled, or is not available here")
        }
        guard arguments.count == webhook.settings.params.count else {
            throw EffectError("triggerWebhook: webhook \(id) takes \(webhook.settings.params.count) arguments, not \(arguments.count)")
        }
        pendingEffects.append(Effect(origin: origin, kind: .triggerWebhook(
            WebhookTrigger(webhookId: id, webhookName: webhook.settings.title, arguments: arguments)
        )))
    }

    /// Saves the discount pools so a failed rule can be undone as a whole.
    struct Checkpoint {
        var items: Decimal, costs: Decimal, perItem: [Decimal], perCost: [String: Decimal], effects: Int
        var budget: Decimal?
        var couponBudget: Decimal?
        var creationBudget: Int?
        var actionsLeft: [LimitAction: Decimal]
        var loyaltyDeducted: [Int64: [String: Decimal]]
    }

    func checkpoint() -> Checkpoint {
        Checkpoint(
            items: remainingItemTotal, costs: remainingAdditionalCostTotal, perItem: remainingPerItem,
            perCost: remainingPerAdditionalCost, effects: pendingEffects.count, budget: discountBudget,
            couponBudget: couponDiscountBudget, creationBudget: couponCreationBudget, actionsLeft: actionsLeft,
            loyaltyDeducted: loyaltyDeducted
        )
    }

    func restore(_ checkpoint: Checkpoint) {
        discountBudget = checkpoint.budget
        couponDiscountBudget = checkpoint.couponBudget
        couponCreationBudget = checkpoint.creationBudget
        actionsLeft = checkpoint.actionsLeft
        loyaltyDeducted = checkpoint.loyaltyDeducted
        remainingItemTotal = checkpoint.items
        remainingAdditionalCostTotal = checkpoint.costs
        remainingPerItem = checkpoint.perItem
        remainingPerAdditionalCost = checkpoint.perCost
        pendingEffects.removeSubrange(checkpoint.effects...)
    }
}

/// An effect that cannot be applied to this session (e.g. a discount on a cart item that isn't there).
public struct EffectError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
