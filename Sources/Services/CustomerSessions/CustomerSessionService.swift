import Foundation
import PromotionEngine
import Storage

/// The answer to a session update: what the engine decided and what is now stored.
public struct SessionUpdateResult: Sendable {
    public var session: CustomerSession
    public var profile: CustomerProfile?
    public var effects: [Effect]
    public var event: SessionEvent
    public var triggeredCampaignIds: [Int64]
    /// The coupons the session's codes named (for `responseContent: ["coupons"]`).
    public var coupons: [Coupon]
    /// Coupons rules created in this update (stored unless dry; ids 0 in a dry run).
    public var createdCoupons: [Coupon] = []
    /// Referrals rules created in this update (a close; stored unless dry, ids 0 in a dry run).
    public var createdReferrals: [Referral] = []
    /// Why rules did not apply, when the caller asked (`explainingRuleFailures`).
    public var ruleFailures: [RuleFailure] = []
    /// The running campaigns and whether the session was eligible for them (with `explainingRuleFailures`).
    public var eligibility: [CampaignEligibility] = []
    /// The referral the session's code names (for `responseContent: ["referral"]`), as read before the update.
    public var referral: Referral?
    /// `effects` as the store wrote them (`JSONText`), for the answer to reuse; nil when not stored as they are.
    public var effectsText: String?
    /// The giveaway codes the close took (for `responseContent: ["awardedGiveaways"]`).
    public var awardedGiveaways: [Giveaway] = []
    /// What the answer shows beyond the session (``AnswerContent``), as the commit left it.
    public var answer = AnswerState()
}

/// `PUT /v2/customer_sessions/{id}` as a use case: read a snapshot, run the engine, commit in one
/// transaction; on a concurrent change, read again and re-evaluate (so coupon limits hold exactly).
public struct CustomerSessionService: Sendable {
    let store: any Store
    let campaigns: any CampaignCatalog
    let queue: RequestQueue
    let attributes: AttributeCatalogCache
    /// How often a commit that lost a race is re-evaluated before the client gets 409.
    let maximumAttempts = 8

    public init(store: any Store, campaigns: any CampaignCatalog, queue: RequestQueue = RequestQueue(),
                attributes: AttributeCatalogCache? = nil)
    {
        self.store = store
        self.campaigns = campaigns
        self.queue = queue
        self.attributes = attributes ?? AttributeCatalogCache(store: store)
    }

    /// Applies `update` to the session `sessionId` of `application`. With `dry`, evaluates and persists nothing;
    /// with `explainingRuleFailures`, the result says why each rule that did not apply failed.
    public func update(
        application: Application, sessionId: String, update: SessionUpdate, dry: Bool,
        explainingRuleFailures: Bool = false, answering content: AnswerContent = [], now: Date = Date()
    ) async throws -> SessionUpdateResult {
        let request = UpdateRequest(update: update, dry: dry, explains: explainingRuleFailures, content: content)
        var issues = update.validate()
        if update.attributes?.isEmpty == false || update.cartItems?.contains(where: { $0.attributes?.isEmpty == false }) == true {
            issues += try await attributes.catalog(accountId: application.accountId).validate(update)
        }
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        let now = now.storagePrecision
        return try await queue.run(key: RequestQueue.sessionKey(application.id, sessionId)) {
            // A session naming a profile also takes the profile's line (always session first, then profile,
            // so two requests never wait for each other in opposite orders).
            guard let profileId = update.profileId, !profileId.isEmpty else {
                return try await evaluateAndCommit(application, sessionId, request, now: now)
            }
            return try await queue.run(key: RequestQueue.profileKey(application.id, profileId)) {
                try await evaluateAndCommit(application, sessionId, request, now: now)
            }
        }
    }

    /// `PUT /v2/customer_sessions/{id}/reopen`.
    public func reopen(application: Application, sessionId: String, now: Date = Date()) async throws
        -> SessionUpdateResult
    {
        try await change(application, sessionId, now: now) { snapshot, now in
            try SessionTransition.reopen(snapshot: snapshot, now: now)
        }
    }

    /// `POST /v2/customer_sessions/{id}/returns`.
    /// With `dry`, answers what the return would do and changes nothing.
    public func returnItems(
        application: Application, sessionId: String, items: [ReturnedCartItem], dry: Bool = false, now: Date = Date()
    ) async throws -> SessionUpdateResult {
        try await change(application, sessionId, dry: dry, now: now) { snapshot, now in
            try SessionTransition.returnItems(items, snapshot: snapshot, application: application, now: now)
        }
    }

    /// Runs a planned change of a stored session under its line, retrying when another node got there first.
    private func change(
        _ application: Application, _ sessionId: String, dry: Bool = false, now: Date,
        plan: @escaping @Sendable (SessionSnapshot, Date) throws -> SessionTransition.Plan
    ) async throws -> SessionUpdateResult {
        let now = now.storagePrecision
        return try await queue.run(key: RequestQueue.sessionKey(application.id, sessionId)) {
            for attempt in 1...maximumAttempts {
                let snapshot = try await store.sessionSnapshot(
                    applicationId: application.id, sessionId: sessionId, profileId: nil, normalizedCouponCodes: [],
                    countersOf: [], periodKeys: []
                )
                let planned: SessionTransition.Plan
                do {
                    planned = try plan(snapshot, now)
                } catch is SessionTransition.NotFound {
                    throw StoreError.notFound(entity: "customer session")
                }
                guard !dry else {
                    return SessionUpdateResult(
                        session: planned.commit.session, profile: snapshot.profile, effects: planned.commit.effects,
                        event: planned.commit.event, triggeredCampaignIds: [], coupons: []
                    )
                }
                do {
                    let committed = try await store.commitSession(Self.profileAsRead(planned.commit, snapshot))
                    return SessionUpdateResult(
                        session: committed.session, profile: committed.profile ?? snapshot.profile,
                        effects: committed.effects ?? planned.commit.effects, event: committed.event,
                        triggeredCampaignIds: [], coupons: []
                    )
                } catch StoreError.sessionChanged where attempt < maximumAttempts {
                    continue
                }
            }
            throw StoreError.sessionChanged
        }
    }

    /// What one update asks for, beyond the session's changes.
    struct UpdateRequest: Sendable {
        var update: SessionUpdate
        var dry: Bool
        var explains: Bool
        var content: AnswerContent
    }

    private func evaluateAndCommit(
        _ application: Application, _ sessionId: String, _ request: UpdateRequest, now: Date
    ) async throws -> SessionUpdateResult {
        let lineup = try await campaigns.lineup(applicationId: application.id)
        for _ in 1..<maximumAttempts {
            do {
                return try await attempt(application, sessionId, request, lineup, now: now)
            } catch StoreError.sessionChanged, StoreError.couponLimitReached, StoreError.campaignLimitReached,
                    StoreError.referralLimitReached
            {
                continue  // Someone else changed what we read: read again and re-evaluate.
            }
        }
        return try await attempt(application, sessionId, request, lineup, now: now)
    }

    private func attempt(
        _ application: Application, _ sessionId: String, _ request: UpdateRequest, _ lineup: CampaignLineup, now: Date
    ) async throws -> SessionUpdateResult {
        var update = request.update
        if lineup.usesCatalog, let items = update.cartItems, !items.isEmpty {
            // Rules see each item with its catalog entry's attributes and price (read for these SKUs only).
            let entries = try await store.catalogItems(catalogIds: lineup.catalogIds, skus: Array(Set(items.map(\.sku))))
            update.cartItems = items.completed(by: entries)
        }
        // Without codes in the request the stored session's codes stay: the store reads those in the same snapshot.
        let codes: SnapshotCouponCodes = update.couponCodes.map { .normalized($0.map(application.normalizedCouponCode)) }
            ?? .ofStoredSession(normalize: { [application] in application.normalizedCouponCode($0) })
        let budgeted = lineup.budgetedCampaignIds
        // Period budgets count per calendar period of the application's time zone.
        let periodKeys = lineup.usesPeriodBudgets ? BudgetPeriod.keys(at: now, timeZone: application.timeZone) : []
        var snapshot = try await store.sessionSnapshot(
            applicationId: application.id, sessionId: sessionId, profileId: update.profileId,
            couponCodes: codes, countersOf: budgeted, periodKeys: periodKeys,
            answering: request.dry ? dryAnswerReads(application, sessionId, request, lineup) : AnswerReads()
        )
        if lineup.usesLoyalty {
            // The profile's loyalty points are read fresh (spends move them on every close), and only for rules
            // that use them: other applications' session updates make no extra round trip.
            snapshot.loyalty = try await store.loyaltyStandings(
                applicationId: application.id, profileId: update.profileId ?? snapshot.session?.profileId,
                cardIdentifier: (update.loyaltyCards ?? snapshot.session?.loyaltyCards)?.first, now: now
            )
        }
        if lineup.usesAchievements {
            snapshot.achievements = try await AchievementSteps.standings(
                store, application: application, profileId: update.profileId ?? snapshot.session?.profileId, now: now
            )
        }
        snapshot.referralContext = try await referralContext(application, update: update, stored: snapshot.session)
        if lineup.usesAudiences {
            snapshot.audienceIds = try await AudienceSteps.memberships(
                store, accountId: application.accountId, profileId: update.profileId ?? snapshot.session?.profileId
            )
        }
        var plan = try SessionTransition.plan(
            application: application, sessionId: sessionId, update: update, snapshot: snapshot, lineup: lineup,
            explainsRuleFailures: request.explains, now: now
        )
        try await AudienceSteps.name(&plan.commit, store: store, accountId: application.accountId)
        try await GiveawaySteps.prepare(&plan.commit, store: store, application: application)
        try await ReservationSteps.prepare(&plan.commit, store: store, application: application)
        let eligibility = request.explains ? CampaignEligibility.of(
            programs: lineup.programs, triggered: plan.triggeredCampaignIds, failures: plan.ruleFailures,
            evaluable: update.evaluableCampaignIds.map(Set.init), now: now
        ) : []
        guard !request.dry else {
            return SessionUpdateResult(
                session: plan.commit.session, profile: snapshot.profile, effects: plan.commit.effects,
                event: plan.commit.event, triggeredCampaignIds: plan.triggeredCampaignIds, coupons: snapshot.coupons,
                createdCoupons: plan.commit.createdCoupons.map(\.coupon),
                createdReferrals: plan.commit.createdReferrals.map(\.referral), ruleFailures: plan.ruleFailures,
                eligibility: eligibility, referral: snapshot.referralContext.referral, answer: snapshot.answer
            )
        }
        plan.commit = Self.profileAsRead(plan.commit, snapshot)
        let content = request.content
        plan.commit.answerReads = content.reads(
            application: application, sessionId: sessionId, profileId: plan.commit.session.profileId,
            campaignIds: (content.contains(.triggeredCampaigns) ? plan.triggeredCampaignIds : [])
                + (content.contains(.campaignEligibility) ? eligibility.map(\.campaignId) : []),
            couponIds: snapshot.coupons.map(\.id), referralId: snapshot.referralContext.referral?.id
        )
        let committed = try await store.commitSession(plan.commit)
        var result = SessionUpdateResult(
            session: committed.session, profile: committed.profile ?? snapshot.profile,
            effects: committed.effects ?? plan.commit.effects,
            event: committed.event, triggeredCampaignIds: plan.triggeredCampaignIds, coupons: snapshot.coupons,
            createdCoupons: committed.createdCoupons, createdReferrals: committed.createdReferrals,
            ruleFailures: plan.ruleFailures, eligibility: eligibility, referral: snapshot.referralContext.referral
        )
        result.awardedGiveaways = committed.awardedGiveaways
        result.answer = committed.answer
        result.effectsText = committed.effectsText
        return result
    }

    /// The profile as the snapshot read it goes with the commit, so the store returns it with the new counters
    /// instead of reading the row back.
    private static func profileAsRead(_ commit: SessionCommit, _ snapshot: SessionSnapshot) -> SessionCommit {
        var commit = commit
        if let profile = snapshot.profile, profile.integrationId == commit.profile?.integrationId {
            commit.profile?.asRead = profile
        }
        return commit
    }

    /// A dry run's answer reads, made with its snapshot: the evaluation has not run yet, so every campaign of the
    /// lineup when the answer shows campaigns, and the referral of the code the session will hold.
    private func dryAnswerReads(
        _ application: Application, _ sessionId: String, _ request: UpdateRequest, _ lineup: CampaignLineup
    ) -> AnswerReads {
        var reads = request.content.reads(
            application: application, sessionId: sessionId, profileId: request.update.profileId,
            campaignIds: request.content.showsCampaigns ? lineup.programs.map(\.campaignId) : [], couponIds: [],
            referralId: nil
        )
        if request.content.contains(.referral) {
            let sent = request.update.referralCode
            reads.referralCode = { [application] stored in
                guard let code = sent ?? stored?.referralCode, !code.isEmpty else { return nil }
                return application.normalizedCouponCode(code)
            }
        }
        return reads
    }
}
