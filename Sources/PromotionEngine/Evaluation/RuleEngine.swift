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
    /// Current counters of campaigns with budgets (absent: nothing used yet).
    public var campaignCounters: [Int64: CampaignCounters]
    /// How often the session's profile already redeemed each budgeted campaign's coupons.
    public var profileRedemptions: [Int64: Int]
    public var now: Date

    public init(
        application: Application, session: CustomerSession, profile: CustomerProfile?,
        campaigns: [CampaignProgram], coupons: [Coupon], evaluableCampaignIds: Set<Int64>? = nil,
        event: CustomEvent? = nil, campaignCounters: [Int64: CampaignCounters] = [:],
        profileRedemptions: [Int64: Int] = [:], now: Date
    ) {
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

    public struct AcceptedCoupon: Sendable, Hashable, Codable {
        public var couponId: Int64
        public var campaignId: Int64
        public var code: String
    }

    /// The sum of `setDiscount*` values per campaign.
    public var discountsByCampaign: [Int64: Decimal] {
        effects.reduce(into: [:]) { sums, effect in
            guard effect.effectType.hasPrefix("setDiscount"), case .number(let value)? = effect.props["value"] else {
                return
            }
            sums[effect.campaignId, default: 0] += value
        }
    }

    public var totalDiscount: Decimal { discountsByCampaign.values.reduce(0, +) }
}

/// The promotion engine: runs the campaigns' rules over a session. Pure: input in, outcome out.
public enum RuleEngine {
    public static func evaluate(_ input: EvaluationInput) -> EvaluationOutcome {
        let scope = RuleScope(
            session: input.session, profile: input.profile, event: input.event, application: input.application,
            now: input.now
        )
        var effects: [Effect] = []
        var accepted: [EvaluationOutcome.AcceptedCoupon] = []
        var triggered: [Int64] = []

        let running = input.campaigns.filter { program in
            program.isRunning(at: input.now) && (input.evaluableCampaignIds?.contains(program.campaignId) ?? true)
        }
        let runningIds = Set(running.map(\.campaignId))
        let check = CouponCheck(input: input, runningCampaignIds: runningIds)
        effects += check.rejections

        for program in running {
            var campaignEffects: [Effect] = []
            var budget = CampaignBudget(
                limits: program.limits, counters: input.campaignCounters[program.campaignId] ?? .init(),
                profileRedemptions: input.profileRedemptions[program.campaignId] ?? 0
            )
            scope.discountBudget = budget.remainingDiscount
            defer { scope.discountBudget = nil }
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
            effects += campaignEffects
            if campaignEffects.contains(where: { $0.effectType != "rejectCoupon" }) {
                triggered.append(program.campaignId)
                if program.exclusive { break }
            }
        }
        return EvaluationOutcome(effects: effects, acceptedCoupons: accepted, triggeredCampaignIds: triggered)
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
        var kept: [Effect] = []
        var usedCoupon = false
        for (index, rule) in program.rules.enumerated() where coupon != nil || !rule.requiresCoupon {
            if let requirement = rule.requiredCartItem, !scope.cartHas(requirement) { continue }
            scope.origin = EffectOrigin(
                campaignId: program.campaignId, rulesetId: program.rulesetId, ruleIndex: index,
                ruleName: rule.title, couponId: coupon?.id
            )
            scope.couponConsulted = false
            // Conditions only read: the checkpoint is needed once one holds and its effects start changing
            // the scope (most conditions are false, so most rules never pay for it).
            let held: Bool
            let beforeCondition = scope.pendingEffects.count
            do { held = try rule.condition(scope) } catch { held = false }
            // (The ruleset checker refuses effect functions in conditions; a hand-built rule that has one
            // simply does not fire.)
            guard held, scope.pendingEffects.count == beforeCondition else {
                scope.pendingEffects.removeSubrange(beforeCondition...)
                continue
            }
            let checkpoint = scope.checkpoint()
            do {
                let consulted = scope.couponConsulted
                for effect in rule.effects { try effect(scope) }
                usedCoupon = usedCoupon || consulted
                kept += scope.pendingEffects
                scope.pendingEffects.removeAll()
            } catch {
                scope.restore(checkpoint)
            }
        }
        scope.coupon = nil
        return (kept, usedCoupon)
    }
}
