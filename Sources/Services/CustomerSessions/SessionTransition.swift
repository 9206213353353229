import Foundation
import PromotionEngine
import Storage

/// Decides what one session update writes: the state change, the engine's effects, and — when the
/// session closes or a closed one is cancelled — the redemptions and their rollback. Pure.
enum SessionTransition {
    struct Plan {
        var commit: SessionCommit
        var triggeredCampaignIds: [Int64]
        var ruleFailures: [RuleFailure] = []
    }

    static func plan(
        application: Application, sessionId: String, update: SessionUpdate, snapshot: SessionSnapshot,
        lineup: CampaignLineup, explainsRuleFailures: Bool = false, now: Date
    ) throws -> Plan {
        let costIssues = update.additionalCostIssues(registry: lineup.additionalCostScopes)
        guard costIssues.isEmpty else { throw ValidationFailure(costIssues) }
        let programs = lineup.programs
        let previous = snapshot.session
        let base = previous ?? CustomerSession(
            integrationId: sessionId, applicationId: application.id, created: now, updated: now
        )
        let requested = update.state ?? base.state
        if let previous {
            try checkTransition(from: previous.state, to: requested, update: update)
        } else if requested == .cancelled {
            throw ValidationIssue(pointer: "/customerSession/state", message: "a new session cannot be cancelled")
        }
        var session = update.applied(to: base, now: now)
        if previous == nil {
            session.firstSession = (snapshot.profile?.closedSessions ?? 0) == 0
        }
        // Built-in session events carry the session's total and state, as Talon.One's carry its params;
        // campaign analytics add them up.
        let eventBase = SessionEvent(
            applicationId: application.id, type: .sessionUpdated, sessionId: sessionId,
            profileId: session.profileId, attributes: Self.eventAttributes(session), effects: [], created: now
        )

        // A closed session being cancelled: give back everything closing took; rules don't run.
        if let previous, previous.state == .closed || previous.state == .partiallyReturned, requested == .cancelled {
            return cancelClosed(session: session, previous: previous, ledger: snapshot.closeLedger, event: eventBase)
        }
        if requested == .cancelled {
            var event = eventBase
            event.type = .sessionCancelled
            return Plan(commit: SessionCommit(
                session: session, expectedUpdateCount: previous?.updateCount, effects: [], closeLedger: .keep,
                profile: session.profileId.map { ProfileChange(integrationId: $0, now: now) }, redeemCouponIds: [],
                returnCouponIds: [], event: event
            ), triggeredCampaignIds: [])
        }

        let started = ContinuousClock.now
        defer { EvaluationTimer.shared.record(ContinuousClock.now - started) }
        var input = EvaluationInput(
            application: application, session: session, profile: snapshot.profile, campaigns: programs,
            coupons: snapshot.coupons, evaluableCampaignIds: update.evaluableCampaignIds.map(Set.init),
            campaignCounters: snapshot.campaignCounters, profileRedemptions: snapshot.profileRedemptions,
            profilePeriodRedemptions: snapshot.profilePeriodRedemptions,
            profileCouponRedemptions: snapshot.profileCouponRedemptions,
            evaluationTree: lineup.evaluationTree, now: now
        )
        input.explainsRuleFailures = explainsRuleFailures
        input.campaignIndex = lineup.campaignIndex
        input.additionalCostIds = lineup.additionalCostIds
        input.customEffectIds = lineup.customEffectIds
        input.loyalty = snapshot.loyalty
        input.webhooks = lineup.webhooks
        input.referralContext = snapshot.referralContext
        input.audienceIds = snapshot.audienceIds
        input.reservedCouponIds = snapshot.reservedCouponIds
        input.collections = lineup.collections
        input.achievements = snapshot.achievements
        let outcome = RuleEngine.evaluate(input)
        var event = eventBase
        event.effects = outcome.effects
        let closing = requested == .closed && previous?.state != .closed
        var profileChange = session.profileId.map { ProfileChange(integrationId: $0, now: now) }
        // `updateAttribute` effects change what they name: the session's or the profile's attributes.
        let changes = RuleChanges(outcome, application: application, programs: programs, now: now)
        session.attributes.merge(changes.sessionAttributes) { _, new in new }
        profileChange?.attributeUpdates = changes.profileAttributes
        var ledger = SessionCommit.LedgerChange.keep
        var redeem: [Int64] = []
        var counters: [CampaignCounterDelta] = []
        var couponDiscounts: [Int64: Decimal] = [:]
        var redemptions: RedemptionChange?
        var loyalty: (LoyaltyCommit, [LoyaltyMovement])?
        if closing {
            event.type = .sessionClosed
            let periodKeys = BudgetPeriod.keys(at: now, timeZone: application.timeZone)
            redeem = outcome.acceptedCoupons.map(\.couponId)
            // The commit re-checks the budgets atomically; a close that would pass one is re-evaluated. Only the
            // campaigns the close counts are looked up: building every campaign's budget grew with the lineup.
            let closingDeltas = CampaignCounterDelta.closing(outcome)
            let actionBudgets = ActionBudgets(
                programs: closingDeltas.compactMap { lineup.program(campaignId: $0.campaignId) }, session: session,
                application: application, now: now
            )
            counters = closingDeltas.map { delta in
                var delta = delta
                if let budget = actionBudgets[delta.campaignId] {
                    delta.countInBudgets(budget, profileId: session.profileId)
                }
                let budget = lineup.program(campaignId: delta.campaignId).map { program in
                    CampaignBudget(limits: program.limits, counters: .init(), now: now, timeZone: application.timeZone)
                }
                delta.maximumCouponRedemptions = budget?.maximumRedemptions
                delta.maximumDiscount = budget?.maximumDiscount
                delta.maximumProfileRedemptions = budget?.maximumProfileRedemptions
                if let periods = budget?.profilePeriodMaximums, !periods.isEmpty {
                    delta.profilePeriodMaximums = periods
                }
                if let periods = budget?.periodMaximums, !periods.isEmpty {
                    // Counted in all four current periods, so switching a budget to another period finds its use.
                    delta.periodKeys = periodKeys
                    delta.periodMaximums = periods
                }
                return delta
            }
            couponDiscounts = outcome.discountsByCoupon
            ledger = .set(CloseLedger(
                acceptedCoupons: outcome.acceptedCoupons, discountsByCampaign: outcome.discountsByCampaign,
                campaignCounters: counters, total: session.total, profileId: session.profileId,
                discountsByCoupon: couponDiscounts, periodKeys: periodKeys,
                itemDiscounts: Self.itemDiscounts(outcome.effects)
            ))
            redemptions = RedemptionChange(profileId: session.profileId, coupons: outcome.acceptedCoupons,
                                           direction: 1, periodKeys: periodKeys)
            profileChange?.closedSessionsDelta = 1
            profileChange?.totalSalesDelta = session.total
            loyalty = LoyaltyChanges.closing(outcome.effects, sessionId: sessionId, now: now)
            if case .set(var closed) = ledger, let loyalty {
                closed.loyalty = loyalty.1
                ledger = .set(closed)
            }
        }
        var commit = SessionCommit(
            session: session, expectedUpdateCount: previous?.updateCount, effects: outcome.effects,
            closeLedger: ledger, profile: profileChange, redeemCouponIds: redeem, returnCouponIds: [], event: event
        )
        commit.campaignCounters = counters
        commit.couponDiscountDeltas = couponDiscounts
        commit.redemptions = redemptions
        commit.loyalty = loyalty?.0
        if closing { LoyaltyChanges.addExpiryUpdates(&commit, effects: outcome.effects, standings: snapshot.loyalty) }
        if closing {
            let coupons = Dictionary(snapshot.coupons.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for accepted in outcome.acceptedCoupons {
                if let maximum = coupons[accepted.couponId]?.maximumRedemptionsPerProfile {
                    commit.couponProfileMaximums[accepted.couponId] = maximum
                }
            }
            for couponId in couponDiscounts.keys {
                if let limit = coupons[couponId]?.discountLimit { commit.couponDiscountLimits[couponId] = limit }
            }
        }
        if closing {
            commit.redeemReferral(outcome.acceptedReferral)
            commit.referralRedemption?.maximumUses = outcome.acceptedReferral.flatMap {
                ActionBudgets(programs: lineup.program(campaignId: $0.campaignId).map { [$0] } ?? [], session: session,
                              application: application, now: now)[$0.campaignId]
            }?.maximumPerReferral
        }
        commit.audienceChanges = outcome.effects.compactMap(\.audienceMembershipChange)
        commit.webhookDeliveries = WebhookOutbox.deliveries(outcome.effects, webhooks: lineup.webhooks,
                                                            applicationId: application.id, now: now)
        commit.createdCoupons = changes.createdCoupons
        commit.couponCreationMaximums = changes.couponCreationMaximums
        commit.createdReferrals = changes.createdReferrals
        if closing { AchievementSteps.close(&commit) }
        return Plan(commit: commit, triggeredCampaignIds: outcome.triggeredCampaignIds, ruleFailures: outcome.ruleFailures)
    }

    /// Closed sessions can only be cancelled (or returned, through its own endpoint); cancelled ones never change.
    private static func checkTransition(from current: SessionState, to next: SessionState, update: SessionUpdate) throws {
        switch current {
        case .open:
            guard current.canChange(to: next) else {
                throw ValidationIssue(pointer: "/customerSession/state", message: "cannot go from open to \(next.rawValue)")
            }
        case .closed, .partiallyReturned:
            guard next == .cancelled else {
                throw ValidationIssue(
                    pointer: "/customerSession/state",
                    message: "the session is \(current.rawValue): it can only be cancelled (or reopened with PUT /v2/customer_sessions/{id}/reopen)"
                )
            }
        case .cancelled:
            throw ValidationIssue(pointer: "/customerSession/state", message: "the session is cancelled and cannot change")
        }
    }

    /// `PUT …/reopen`: a closed session opens again and everything closing took is given back.
    static func reopen(snapshot: SessionSnapshot, now: Date) throws -> Plan {
        guard let previous = snapshot.session else { throw NotFound() }
        guard previous.state == .closed else {
            throw ValidationIssue(pointer: "/state", message: "only a closed session can be reopened; this one is \(previous.state.rawValue)")
        }
        var session = previous
        session.state = .open
        session.updateCount += 1
        session.updated = now
        var plan = cancelClosed(session: session, previous: previous, ledger: snapshot.closeLedger, event: SessionEvent(
            applicationId: previous.applicationId, type: .sessionReopened, sessionId: previous.integrationId,
            profileId: previous.profileId, attributes: eventAttributes(previous), effects: [], created: now
        ))
        plan.commit.event.type = .sessionReopened
        return plan
    }

    /// `POST …/returns`: items of a closed session come back; the profile's sales shrink by their value.
    /// The `setDiscountPerItem` effects of a close, for returns to give back.
    static func itemDiscounts(_ effects: [Effect]) -> [CloseLedger.ItemDiscount] {
        effects.compactMap { effect in
            guard case .setDiscountPerItem(let discount) = effect.kind, discount.value > 0 else { return nil }
            return CloseLedger.ItemDiscount(campaignId: effect.campaignId, couponId: effect.triggeredByCoupon,
                                            name: discount.name, position: discount.position, value: discount.value)
        }
    }

    static func returnItems(_ returned: [ReturnedCartItem], snapshot: SessionSnapshot,
                            application: Application, now: Date) throws -> Plan
    {
        guard let previous = snapshot.session else { throw NotFound() }
        guard previous.state == .closed || previous.state == .partiallyReturned else {
            throw ValidationIssue(pointer: "/return", message: "only a closed session can have returns; this one is \(previous.state.rawValue)")
        }
        var session = previous
        var returnedValue: Decimal = 0
        var ledger = snapshot.closeLedger ?? CloseLedger(
            acceptedCoupons: [], discountsByCampaign: [:], campaignCounters: [], total: 0, profileId: nil
        )
        var itemDiscounts = ledger.itemDiscounts ?? []
        var effects: [Effect] = []
        var givenBack: [Int64: Decimal] = [:]
        var couponDeltas: [Int64: Decimal] = [:]
        var recorded: [JSONValue] = []
        for (index, line) in returned.enumerated() {
            let pointer = "/return/returnedCartItems/\(index)"
            let item = (position: try line.position(in: session.cartItems, pointer: pointer), quantity: line.quantity ?? 1)
            guard session.cartItems.indices.contains(item.position) else {
                throw ValidationIssue(pointer: pointer + "/position", message: "there is no cart item at position \(item.position)")
            }
            var cartItem = session.cartItems[item.position]
            let remaining = cartItem.quantity - (cartItem.returnedQuantity ?? 0)
            guard item.quantity >= 1, item.quantity <= remaining else {
                throw ValidationIssue(pointer: pointer + "/quantity", message: "must be 1 to \(remaining) (what is left of this item)")
            }
            recorded.append(.object(["position": .number(Decimal(item.position)),
                                     "quantity": .number(Decimal(item.quantity)), "sku": .string(cartItem.sku)]))
            cartItem.returnedQuantity = (cartItem.returnedQuantity ?? 0) + item.quantity
            cartItem.remainingQuantity = cartItem.quantity - (cartItem.returnedQuantity ?? 0)
            returnedValue += (cartItem.price ?? 0) * Decimal(item.quantity)
            session.cartItems[item.position] = cartItem
            // The item's own discounts come back in proportion to the returned quantity; the last unit
            // returns whatever is left, so rounding never leaves a cent behind or gives one too many.
            for index in itemDiscounts.indices {
                var discount = itemDiscounts[index]
                guard discount.position == item.position, discount.value > discount.rolledBack else { continue }
                let left = discount.value - discount.rolledBack
                let share = cartItem.remainingQuantity == 0
                    ? left : min(left, Money.round(discount.value * Decimal(item.quantity) / Decimal(cartItem.quantity),
                                                   currency: application.settings.currency))
                guard share > 0 else { continue }
                discount.rolledBack += share
                itemDiscounts[index] = discount
                givenBack[discount.campaignId, default: 0] += share
                if let coupon = discount.couponId { couponDeltas[coupon, default: 0] -= share }
                effects.append(.rollbackDiscount(
                    EffectOrigin(campaignId: discount.campaignId, rulesetId: 0, ruleIndex: 0, ruleName: "",
                                 couponId: discount.couponId),
                    name: discount.name, value: share, cartItemPosition: item.position
                ))
            }
        }
        // Points the close earned and spent come back in proportion to the value returned.
        var loyaltyReturn: LoyaltyCommit?
        if let movements = ledger.loyalty, !movements.isEmpty {
            let returned = LoyaltyChanges.returning(movements, cart: session.cartItems)
            ledger.loyalty = returned.movements
            effects += returned.effects
            if !returned.rollbacks.isEmpty {
                loyaltyReturn = LoyaltyCommit()
                loyaltyReturn?.returnRollbacks = returned.rollbacks
            }
        }
        session.state = .partiallyReturned
        session.updateCount += 1
        session.updated = now
        // The return event keeps what came back: it is the session's return record (`previousReturns`).
        var attributes = eventAttributes(session)
        attributes["returnedCartItems"] = .array(recorded)
        let event = SessionEvent(
            applicationId: session.applicationId, type: .sessionPartiallyReturned,
            sessionId: session.integrationId, profileId: session.profileId, attributes: attributes, effects: effects,
            created: now
        )
        let profile = session.profileId.map {
            ProfileChange(integrationId: $0, totalSalesDelta: -returnedValue, now: now)
        }
        // What returns gave back leaves the ledger, so a later cancel gives back only the rest.
        if ledger.itemDiscounts != nil { ledger.itemDiscounts = itemDiscounts }
        ledger.total -= returnedValue
        var counters: [CampaignCounterDelta] = []
        for (campaignId, value) in givenBack.sorted(by: { $0.key < $1.key }) {
            ledger.discountsByCampaign[String(campaignId)] = (ledger.discountsByCampaign[String(campaignId)] ?? 0) - value
            var delta = CampaignCounterDelta(campaignId: campaignId)
            delta.discount = -value
            if let closed = ledger.campaignCounters?.firstIndex(where: { $0.campaignId == campaignId }) {
                delta.periodKeys = ledger.campaignCounters![closed].periodKeys
                ledger.campaignCounters![closed].discount -= value
            }
            counters.append(delta)
        }
        if !couponDeltas.isEmpty {
            var byCoupon = ledger.discountsByCoupon ?? [:]
            for (couponId, delta) in couponDeltas { byCoupon[String(couponId), default: 0] += delta }
            ledger.discountsByCoupon = byCoupon
        }
        var commit = SessionCommit(
            session: session, expectedUpdateCount: previous.updateCount, effects: effects,
            closeLedger: snapshot.closeLedger == nil ? .keep : .set(ledger), profile: profile, redeemCouponIds: [],
            returnCouponIds: [], event: event
        )
        commit.campaignCounters = counters
        commit.couponDiscountDeltas = couponDeltas
        commit.loyalty = loyaltyReturn
        return Plan(commit: commit, triggeredCampaignIds: [])
    }

    struct NotFound: Error {}

    static func eventAttributes(_ session: CustomerSession) -> [String: JSONValue] {
        // `items` (units in the cart) gives the campaign analytics export its items per session.
        [
            "total": .number(session.total), "state": .string(session.state.rawValue),
            "items": .number(Decimal(session.cartItems.reduce(0) { $0 + $1.quantity })),
        ]
    }

    private static func cancelClosed(session: CustomerSession, previous: CustomerSession, ledger: CloseLedger?,
                                     event: SessionEvent) -> Plan
    {
        let ledger = ledger ?? CloseLedger(
            acceptedCoupons: [], discountsByCampaign: [:], campaignCounters: [], total: 0, profileId: nil
        )
        var effects: [Effect] = []
        for coupon in ledger.acceptedCoupons {
            let origin = EffectOrigin(campaignId: coupon.campaignId, rulesetId: 0, ruleIndex: 0, ruleName: "",
                                      couponId: coupon.couponId)
            effects.append(.rollbackCoupon(origin, code: coupon.code))
        }
        for (campaign, value) in ledger.discountsByCampaign.sorted(by: { $0.key < $1.key }) where value > 0 {
            let origin = EffectOrigin(campaignId: Int64(campaign) ?? 0, rulesetId: 0, ruleIndex: 0, ruleName: "")
            effects.append(.rollbackDiscount(origin, name: "Session cancelled", value: value))
        }
        effects += LoyaltyChanges.rollbackEffects(ledger.loyalty ?? [])
        var event = event
        event.type = .sessionCancelled
        event.effects = effects
        let profile = ledger.profileId.map {
            ProfileChange(integrationId: $0, closedSessionsDelta: -1, totalSalesDelta: -ledger.total, now: event.created)
        }
        var commit = SessionCommit(
            session: session, expectedUpdateCount: previous.updateCount, effects: effects, closeLedger: .clear,
            profile: profile, redeemCouponIds: [], returnCouponIds: ledger.acceptedCoupons.map(\.couponId), event: event
        )
        commit.campaignCounters = (ledger.campaignCounters ?? []).map(\.reversed)
        if ledger.loyalty != nil { commit.loyalty = LoyaltyCommit(rollbackSessionId: session.integrationId) }
        commit.rollsBackAchievements = ledger.achievements == true
        // Counted under the session's profile at the close, as the migration counted the older closes.
        commit.redemptions = RedemptionChange(profileId: previous.profileId, coupons: ledger.acceptedCoupons,
                                              direction: -1, periodKeys: ledger.periodKeys ?? [])
        commit.couponDiscountDeltas = Dictionary(uniqueKeysWithValues: (ledger.discountsByCoupon ?? [:]).compactMap { key, value in
            Int64(key).map { ($0, -value) }
        })
        commit.rollBackReferral(of: ledger, friend: previous.profileId)
        return Plan(commit: commit, triggeredCampaignIds: [])
    }
}
