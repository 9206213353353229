import Foundation

/// Everything one evaluation reads: the session after the update, the profile, the campaigns and the
/// coupons the session's codes name. Loaded by the caller in one storage read; the engine does no I/O.
public struct EvaluationInput: Sendable {
    public var application: Application
    public var session: CustomerSession
    public var profile: CustomerProfile?
    /// The application's campaigns with an active ruleset, in evaluation order.
    public var campaigns: [CampaignProgram]
    /// The coupons whose (normalized) codes the session sent, from any campaign of the application.
    public var coupons: [Coupon]
    /// When set, only these campaigns are evaluated (`evaluableCampaignIds`).
    public var evaluableCampaignIds: Set<Int64>?
    /// The custom event being tracked, for `POST /v2/events`.
    public var event: CustomEvent?
    /// The application's campaign evaluation tree; nil: every campaign stacks, in `campaigns` order.
    public var evaluationTree: EvaluationGroup?
    /// `campaigns` indexed by what they need (built once per lineup); nil: every campaign is visited.
    public var campaignIndex: CampaignIndex?
    /// Codes for coupons that rules create (`createCoupon`); random by default.
    public var newCouponCode: @Sendable () -> String = CouponPattern.createdByRules.randomCode
    /// The ids of the account's additional costs by name (`setDiscountPerAdditionalCost.additionalCostId`).
    public var additionalCostIds: [String: Int64] = [:]
    /// The ids of the account's custom effects by name (`customEffect.props.effectId`).
    public var customEffectIds: [String: Int64] = [:]
    /// The webhooks rules may trigger, with their parameters (`triggerWebhook` checks its arguments against them).
    public var webhooks: [Int64: Webhook] = [:]
    /// Collect ``RuleFailure``s for the rules that did not apply (`responseContent: ["ruleFailureReasons"]`).
    public var explainsRuleFailures = false
    /// Current counters of campaigns with budgets (absent: nothing used yet).
    public var campaignCounters: [Int64: CampaignCounters]
    /// How often the session's profile already redeemed each budgeted campaign's coupons.
    public var profileRedemptions: [Int64: Int]
    /// The same per ``BudgetPeriod`` key, for campaigns with per-profile period budgets.
    public var profilePeriodRedemptions: [Int64: [String: Int]] = [:]
    /// How often the session's profile already redeemed each sent coupon that has its own per-profile limit.
    public var profileCouponRedemptions: [Int64: Int] = [:]
    /// The loyalty programs of the application with the session profile's active points (empty: none).
    public var loyalty: [LoyaltyStanding] = []
    /// The session profile's standings in the campaigns' achievements (empty: no rule uses achievements).
    public var achievements: [AchievementStanding] = []
    /// Of the sent coupons that need a reservation (`isReservationMandatory`), those the profile holds one of.
    public var reservedCouponIds: Set<Int64> = []
    /// The referral the session's `referralCode` names, and what its checks need to know.
    public var referralContext = ReferralContext(referral: nil)
    /// The audiences the profile is a member of (`profileInAudience`).
    public var audienceIds: Set<Int64> = []
    /// The collections the application's rules may use (`isInCollection`).
    public var collections = CollectionSets()
    public var now: Date

    public init(
        application: Application, session: CustomerSession, profile: CustomerProfile?,
        campaigns: [CampaignProgram], coupons: [Coupon], evaluableCampaignIds: Set<Int64>? = nil,
        event: CustomEvent? = nil, campaignCounters: [Int64: CampaignCounters] = [:],
        profileRedemptions: [Int64: Int] = [:], profilePeriodRedemptions: [Int64: [String: Int]] = [:],
        profileCouponRedemptions: [Int64: Int] = [:], evaluationTree: EvaluationGroup? = nil, now: Date
    ) {
        self.profileCouponRedemptions = profileCouponRedemptions
        self.profilePeriodRedemptions = profilePeriodRedemptions
        self.evaluationTree = evaluationTree
        self.campaignCounters = campaignCounters
        self.profileRedemptions = profileRedemptions
        self.application = application
        self.session = session
        self.profile = profile
        self.campaigns = campaigns
        self.coupons = coupons
        self.evaluableCampaignIds = evaluableCampaignIds
        self.event = event
        self.now = now
    }
}

/// What an evaluation decided: the effects in order, and the facts persistence and counters need.
public struct EvaluationOutcome: Sendable, Hashable {
    public var effects: [Effect]
    /// Coupons accepted in this evaluation (redeemed if the session closes).
    public var acceptedCoupons: [AcceptedCoupon]
    /// Campaigns that produced at least one effect.
    public var triggeredCampaignIds: [Int64]
    /// The rules that did not apply and why, when the input asked for them.
    public var ruleFailures: [RuleFailure] = []
    /// The session's referral code, when a rule of its campaign used it (redeemed if the session closes).
    public var acceptedReferral: AcceptedReferral?

    public init(effects: [Effect], acceptedCoupons: [AcceptedCoupon], triggeredCampaignIds: [Int64]) {
        self.effects = effects
        self.acceptedCoupons = acceptedCoupons
        self.triggeredCampaignIds = triggeredCampaignIds
    }

    public struct AcceptedCoupon: Sendable, Hashable, Codable {
        public var couponId: Int64
        public var campaignId: Int64
        public var code: String

        public init(couponId: Int64, campaignId: Int64, code: String) {
            (self.couponId, self.campaignId, self.code) = (couponId, campaignId, code)
        }
    }

    /// The sum of `setDiscount*` values per campaign.
    public var discountsByCampaign: [Int64: Decimal] {
        effects.reduce(into: [:]) { sums, effect in
            if let value = effect.discountValue { sums[effect.campaignId, default: 0] += value }
        }
    }

    public var totalDiscount: Decimal { discountsByCampaign.values.reduce(0, +) }

    /// The sum of `setDiscount*` values given while each accepted coupon was bound (its discount budget's use).
    public var discountsByCoupon: [Int64: Decimal] {
        let accepted = Set(acceptedCoupons.map(\.couponId))
        return effects.reduce(into: [:]) { sums, effect in
            guard let value = effect.discountValue, let couponId = effect.triggeredByCoupon,
                  accepted.contains(couponId) else { return }
            sums[couponId, default: 0] += value
        }
    }
}

/// The promotion engine: runs the campaigns' rules over a session. Pure: input in, outcome out.
public enum RuleEngine {
    /// The running campaigns among those the coupons and the referral need to know about: with an index, only the
    /// campaigns they name are looked at (a set of every running campaign grew with the lineup).
    private static func runningCampaignIds(_ input: EvaluationInput, runs: (CampaignProgram) -> Bool) -> Set<Int64> {
        guard let index = input.campaignIndex, index.count == input.campaigns.count, input.evaluationTree == nil else {
            return Set(input.campaigns.lazy.filter(runs).map(\.campaignId))
        }
        let named = input.coupons.map(\.campaignId) + (input.referralContext.referral.map { [$0.campaignId] } ?? [])
        return Set(named.filter { id in index.position(ofCampaign: id).map { runs(input.campaigns[$0]) } ?? false })
    }

    public static func evaluate(_ input: EvaluationInput) -> EvaluationOutcome {
        let scope = RuleScope(
            session: input.session, profile: input.profile, event: input.event, application: input.application,
            now: input.now, newCouponCode: input.newCouponCode
        )
        scope.explainsFailures = input.explainsRuleFailures
        scope.additionalCostIds = input.additionalCostIds
        scope.customEffectIds = input.customEffectIds
        scope.loyalty = Dictionary(input.loyalty.map { ($0.program.id, $0) }, uniquingKeysWith: { first, _ in first })
        scope.webhooks = input.webhooks
        for standing in input.achievements {
            scope.achievements[AchievementKey(campaignId: standing.achievement.campaignId,
                                              name: standing.achievement.name)] = standing
        }
        func runs(_ program: CampaignProgram) -> Bool {
            program.isRunning(at: input.now) && (input.evaluableCampaignIds?.contains(program.campaignId) ?? true)
        }
        // The common case (no coupons sent, no evaluation tree saved) needs neither a set of running
        // campaigns nor a lookup table: the campaigns simply stack, in order, with no copies made.
        let needsLookup = !input.coupons.isEmpty || input.evaluationTree != nil
            || !(input.session.referralCode ?? "").isEmpty
        let runningIds = needsLookup ? runningCampaignIds(input, runs: runs) : []
        let check = CouponCheck(input: input, runningCampaignIds: runningIds)
        let referral = ReferralCheck.check(input, runningCampaignIds: runningIds)
        scope.referral = referral.valid
        scope.audienceIds = input.audienceIds
        scope.collections = input.collections
        var result = Run()
        if let tree = input.evaluationTree {
            let running = input.campaigns.filter(runs)
            let programs = Dictionary(running.map { ($0.campaignId, $0) }, uniquingKeysWith: { first, _ in first })
            var evaluation = GroupEvaluation(input: input, programs: programs, check: check, scope: scope)
            evaluation.run(tree.completed(with: running.map(\.campaignId)), into: &result)
        } else if let index = input.campaignIndex, index.count == input.campaigns.count, !scope.explainsFailures {
            // Explaining failures looks at every rule, so it visits every campaign.
            let candidates = index.candidates(for: input.session, couponCampaignIds: input.coupons.map(\.campaignId),
                                              referralCampaignId: referral.valid?.campaignId)
            for position in candidates where runs(input.campaigns[position]) {
                run(campaign: input.campaigns[position], input: input, check: check, scope: scope, into: &result)
            }
        } else {
            for program in input.campaigns where runs(program) {
                run(campaign: program, input: input, check: check, scope: scope, into: &result)
            }
        }
        var outcome = EvaluationOutcome(
            effects: check.rejections + (referral.rejection.map { [$0] } ?? []) + result.effects,
            acceptedCoupons: result.accepted, triggeredCampaignIds: result.triggered
        )
        outcome.ruleFailures = scope.ruleFailures
        if let valid = referral.valid {
            outcome.settleReferral(valid, running: runningIds.contains(valid.campaignId)
                                   && (input.evaluableCampaignIds?.contains(valid.campaignId) ?? true))
        }
        return outcome
    }

    /// What running a campaign or a group produced.
    struct Run {
        var effects: [Effect] = []
        var accepted: [EvaluationOutcome.AcceptedCoupon] = []
        var triggered: [Int64] = []

        var discount: Decimal {
            effects.reduce(0) { $0 + ($1.discountValue ?? 0) }
        }
    }

    /// Walks the evaluation tree over one scope.
    struct GroupEvaluation {
        let input: EvaluationInput
        let programs: [Int64: CampaignProgram]
        let check: CouponCheck
        let scope: RuleScope

        /// Runs an element, appending what it produced to `result` (in place: no copies per campaign).
        mutating func run(_ element: EvaluationGroup.Element, into result: inout Run) {
            switch element {
            case .campaign(let id):
                if let program = programs[id] {
                    RuleEngine.run(campaign: program, input: input, check: check, scope: scope, into: &result)
                }
            case .group(let group):
                run(group, into: &result)
            }
        }

        mutating func run(_ group: EvaluationGroup) -> Run {
            var result = Run()
            run(group, into: &result)
            return result
        }

        mutating func run(_ group: EvaluationGroup, into result: inout Run) {
            switch group.mode {
            case .stackable:
                for element in group.elements { run(element, into: &result) }
            case .listOrder:
                // Exclusive: the first element that triggers wins; the ones after it do not run.
                for (index, element) in group.elements.enumerated() {
                    let triggeredBefore = result.triggered.count
                    run(element, into: &result)
                    if result.triggered.count > triggeredBefore {
                        result.effects += notTriggered(group.elements[(index + 1)...], because: .campaignIsNotFirst)
                        break
                    }
                }
            case .lowestDiscount, .highestDiscount:
                // Every element runs from the same starting point; only the chosen one's changes stay.
                let start = scope.checkpoint()
                var best: (index: Int, run: Run, end: RuleScope.Checkpoint)?
                var rejections: [Effect] = []
                for (index, element) in group.elements.enumerated() {
                    scope.restore(start)
                    var run = Run()
                    self.run(element, into: &run)
                    guard !run.triggered.isEmpty else {
                        rejections += run.effects
                        continue
                    }
                    let better = best.map {
                        group.mode == .highestDiscount ? run.discount > $0.run.discount : run.discount < $0.run.discount
                    } ?? true
                    if better { best = (index, run, scope.checkpoint()) }
                }
                guard let best else {
                    scope.restore(start)
                    result.effects += rejections
                    return
                }
                scope.restore(best.end)
                let others = group.elements.indices.filter { $0 != best.index }.map { group.elements[$0] }
                let exclusion: CampaignExclusionReason = group.mode == .highestDiscount
                    ? .campaignGaveLowerDiscount : .campaignGaveHigherDiscount
                result.effects += rejections + best.run.effects + notTriggered(others[...], because: exclusion)
                result.accepted += best.run.accepted
                result.triggered += best.run.triggered
            }
        }

        /// Coupons of campaigns that exclusivity kept from running are refused as such.
        private func notTriggered(_ elements: ArraySlice<EvaluationGroup.Element>,
                                  because exclusion: CampaignExclusionReason) -> [Effect] {
            elements.flatMap { element -> [Effect] in
                let campaignIds: [Int64] = switch element {
                case .campaign(let id): [id]
                case .group(let group): group.campaignIds
                }
                return campaignIds.compactMap { programs[$0] }.flatMap { program in
                    check.validCoupons(of: program.campaignId).map { coupon in
                        Effect.rejectCoupon(origin(program, couponId: coupon.id), code: coupon.value,
                                            reason: .couponPartOfNotTriggeredCampaign, exclusion: exclusion)
                    }
                }
            }
        }
    }

    /// Runs one campaign: per valid coupon of its own when it uses coupons, within its budgets.
    static func run(campaign program: CampaignProgram, input: EvaluationInput, check: CouponCheck, scope: RuleScope,
                    into result: inout Run)
    {
        // Most campaigns cannot apply to a given cart (the cart-item index): leave before building budgets.
        // (Unless the client asked why rules did not apply: then every rule is looked at.)
        if !scope.explainsFailures, !program.mayApply(withoutCouponIn: scope),
           !program.usesCoupons || check.validCoupons(of: program.campaignId).isEmpty,
           scope.referral?.campaignId != program.campaignId {
            return
        }
        scope.referralUsed = false
        var accepted: [EvaluationOutcome.AcceptedCoupon] = []
        var campaignEffects: [Effect] = []
        var budget = CampaignBudget(
            limits: program.limits, counters: input.campaignCounters[program.campaignId] ?? .init(),
            profileRedemptions: input.profileRedemptions[program.campaignId] ?? 0,
            profilePeriodRedemptions: input.profilePeriodRedemptions[program.campaignId] ?? [:], now: input.now,
            timeZone: program.limits.isEmpty ? .gmt : input.application.timeZone
        )
        scope.discountBudget = budget.remainingDiscount
        scope.couponCreationBudget = budget.remainingCouponCreations
        let actions = program.limits.isEmpty ? nil : ActionBudget(
            limits: program.limits, used: input.campaignCounters[program.campaignId]?.actionCounters ?? [:],
            hasProfile: !(input.session.profileId ?? "").isEmpty, now: input.now, timeZone: input.application.timeZone
        )
        if let actions {
            for action in [LimitAction.createLoyaltyPoints, .redeemLoyaltyPoints] {
                scope.actionsLeft[action] = actions.left(action)
            }
        }
        scope.referralCodePattern = program.referralCodePattern
        defer {
            scope.discountBudget = nil
            scope.couponCreationBudget = nil
            scope.actionsLeft = [:]
            scope.referralCodePattern = nil
        }
        // A referral code past a `redeemReferral` budget is refused before the rules run, as a coupon past its
        // campaign's budget is.
        if let referral = scope.referral, referral.campaignId == program.campaignId,
           let reason = actions?.refusal(of: referral) {
            campaignEffects.append(.rejectReferral(origin(program, couponId: nil), code: referral.code, reason: reason))
            scope.referral = nil
        }
        if program.usesCoupons {
            var acceptedOne = false
            for coupon in check.validCoupons(of: program.campaignId) {
                let code = coupon.value
                if budget.remainingRedemptions == 0 {
                    campaignEffects.append(.rejectCoupon(
                        origin(program, couponId: coupon.id), code: code, reason: .campaignLimitReached
                    ))
                    continue
                }
                if budget.remainingProfileRedemptions == 0, input.session.profileId != nil {
                    campaignEffects.append(.rejectCoupon(
                        origin(program, couponId: coupon.id), code: code, reason: .profileLimitReached
                    ))
                    continue
                }
                if acceptedOne {
                    campaignEffects.append(.rejectCoupon(
                        origin(program, couponId: coupon.id), code: code, reason: .couponRejectedByCondition
                    ))
                    continue
                }
                let (ruleEffects, usedCoupon) = run(program, coupon: coupon, in: scope)
                if usedCoupon {
                    acceptedOne = true
                    budget.remainingRedemptions = budget.remainingRedemptions.map { $0 - 1 }
                    budget.remainingProfileRedemptions = budget.remainingProfileRedemptions.map { $0 - 1 }
                    accepted.append(.init(couponId: coupon.id, campaignId: program.campaignId, code: code))
                    campaignEffects.append(.acceptCoupon(origin(program, couponId: coupon.id), code: code))
                    campaignEffects += ruleEffects
                } else {
                    // Rules that did not need the coupon still apply; the coupon itself is refused.
                    campaignEffects += ruleEffects
                    campaignEffects.append(.rejectCoupon(
                        origin(program, couponId: coupon.id), code: code, reason: .couponRejectedByCondition
                    ))
                }
            }
            if check.validCoupons(of: program.campaignId).isEmpty {
                campaignEffects += run(program, coupon: nil, in: scope).effects
            }
        } else {
            campaignEffects += run(program, coupon: nil, in: scope).effects
        }
        if let referral = scope.referral, referral.campaignId == program.campaignId, scope.referralUsed {
            campaignEffects.insert(.acceptReferral(origin(program, couponId: nil), code: referral.code), at: 0)
        }
        if let actions { campaignEffects = actions.keepingCreatedReferralsWithin(campaignEffects) }
        guard !campaignEffects.isEmpty else { return }
        result.effects += campaignEffects
        result.accepted += accepted
        if campaignEffects.contains(where: { !$0.type.isRejection }) { result.triggered.append(program.campaignId) }
    }

    private static func origin(_ program: CampaignProgram, couponId: Int64?) -> EffectOrigin {
        EffectOrigin(campaignId: program.campaignId, rulesetId: program.rulesetId, ruleIndex: 0, ruleName: "",
                     couponId: couponId)
    }

    /// Runs a campaign's rules in order with `coupon` bound. A rule's effects apply as a whole: when one of
    /// them fails (or the condition fails to evaluate), none of that rule's effects are kept.
    private static func run(_ program: CampaignProgram, coupon: Coupon?, in scope: RuleScope)
        -> (effects: [Effect], usedCoupon: Bool)
    {
        scope.coupon = coupon
        scope.couponDiscountBudget = coupon.flatMap { coupon in
            coupon.discountLimit.flatMap { $0 > 0 ? $0 - (coupon.discountCounter ?? 0) : nil }
        }
        defer { scope.couponDiscountBudget = nil }
        var kept: [Effect] = []
        var usedCoupon = false
        func fail(_ index: Int, _ rule: CompiledRule, condition: Int? = nil, effect: Int? = nil, _ details: String) {
            guard scope.explainsFailures else { return }
            scope.ruleFailures.append(RuleFailure(
                campaignId: program.campaignId, campaignName: program.name, rulesetId: program.rulesetId,
                ruleIndex: index, ruleName: rule.title, couponId: coupon?.id, couponValue: coupon?.value,
                conditionIndex: condition, effectIndex: effect, details: details
            ))
        }
        for (index, rule) in program.rules.enumerated() {
            if coupon == nil && rule.requiresCoupon {
                fail(index, rule, condition: 0, "the rule needs a valid coupon of the campaign and none was sent")
                continue
            }
            if let requirement = rule.requiredCartItem, !scope.cartHas(requirement) {
                fail(index, rule, condition: 0,
                     "the cart has no item with \(requirement.field.rawValue) \(requirement.value)")
                continue
            }
            scope.origin = EffectOrigin(
                campaignId: program.campaignId, rulesetId: program.rulesetId, ruleIndex: index,
                ruleName: rule.title, couponId: coupon?.id
            )
            scope.couponConsulted = false
            scope.referralConsulted = false
            // Conditions only read: the checkpoint is needed once one holds and its effects start changing
            // the scope (most conditions are false, so most rules never pay for it).
            let held: Bool
            let beforeCondition = scope.pendingEffects.count
            do { held = try rule.condition(scope) } catch { held = false }
            // (The ruleset checker refuses effect functions in conditions; a hand-built rule that has one
            // simply does not fire.)
            guard held, scope.pendingEffects.count == beforeCondition else {
                scope.pendingEffects.removeSubrange(beforeCondition...)
                if scope.explainsFailures {
                    let failed = rule.failedPart(in: scope)
                    fail(index, rule, condition: failed.index, failed.details)
                }
                continue
            }
            let checkpoint = scope.checkpoint()
            var effectIndex = 0
            do {
                let consulted = scope.couponConsulted
                let consultedReferral = scope.referralConsulted
                for effect in rule.effects {
                    try effect(scope)
                    effectIndex += 1
                }
                usedCoupon = usedCoupon || consulted
                scope.referralUsed = scope.referralUsed || consultedReferral
                kept += scope.pendingEffects
                scope.pendingEffects.removeAll(keepingCapacity: true)
            } catch {
                scope.restore(checkpoint)
                fail(index, rule, effect: effectIndex, "effect /rules/\(index)/effects/\(effectIndex) could not be applied: \(error)")
            }
        }
        scope.coupon = nil
        return (kept, usedCoupon)
    }
}
