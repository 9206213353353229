import Foundation
import PromotionEngine
import Storage

/// The answer to a profile update or a custom event.
public struct ProfileUpdateResult: Sendable {
    public var profile: CustomerProfile
    public var effects: [Effect]
    public var event: SessionEvent?
    public var triggeredCampaignIds: [Int64]
    /// Coupons rules created (stored unless dry; ids 0 in a dry run).
    public var createdCoupons: [Coupon] = []
    /// What the answer shows beyond the profile (``AnswerContent``), as the commit left it.
    public var answer = AnswerState()
}

/// `PUT /v2/customer_profiles/{id}`, `PUT /v2/customer_profiles` and `POST /v2/events` as use cases, one line
/// per profile. Rules run as they do for sessions: their effects change attributes, create coupons and count
/// against budgets (``RuleChanges``), written in the request's one transaction.
public struct ProfileService: Sendable {
    let store: any Store
    let campaigns: any CampaignCatalog
    let queue: RequestQueue
    let attributes: AttributeCatalogCache
    /// How often a commit that lost a race (a created code taken, a budget used up) is re-evaluated.
    let maximumAttempts = 8

    public init(store: any Store, campaigns: any CampaignCatalog, queue: RequestQueue,
                attributes: AttributeCatalogCache? = nil)
    {
        self.store = store
        self.campaigns = campaigns
        self.queue = queue
        self.attributes = attributes ?? AttributeCatalogCache(store: store)
    }

    /// One profile's part of a request: what to merge, which event to record, whether rules run.
    struct ProfileRequest: Sendable {
        var integrationId: String
        var attributes: [String: JSONValue]
        var event: CustomEvent?
        var runsRules: Bool
        var evaluableCampaignIds: [Int64]?
        /// `audiencesChanges`: applied before the rules run, so they see the new memberships.
        var audienceChanges: [AudienceMembershipChange] = []
        /// An advanced (v3) event's own id and the closed session it refers to.
        var advanced: AdvancedEvent?
        /// What the answer shows: the profile's audiences, the triggered campaigns.
        var content: AnswerContent = []
    }

    /// What makes a v3 event advanced: the shop's unique id, and optionally the closed session it refers to.
    public struct AdvancedEvent: Sendable {
        public var integrationId: String
        public var connectedSessionId: String?

        public init(integrationId: String, connectedSessionId: String?) {
            self.integrationId = integrationId
            self.connectedSessionId = connectedSessionId
        }
    }

    /// Merges `attributes` into the profile (creating it), optionally running the rules on the profile alone.
    public func update(
        application: Application, integrationId: String, attributes: [String: JSONValue], runRuleEngine: Bool,
        evaluableCampaignIds: [Int64]?, dry: Bool, audienceChanges: [AudienceMembershipChange] = [],
        answering content: AnswerContent = [], now: Date = Date()
    ) async throws -> ProfileUpdateResult {
        try Self.checkIntegrationId(integrationId)
        if !attributes.isEmpty {
            let issues = try await self.attributes.catalog(accountId: application.accountId)
                .validate(attributes, of: .customerProfile, at: "/attributes")
            guard issues.isEmpty else { throw ValidationFailure(issues) }
        }
        let request = ProfileRequest(integrationId: integrationId, attributes: attributes, event: nil,
                                     runsRules: runRuleEngine, evaluableCampaignIds: evaluableCampaignIds,
                                     audienceChanges: audienceChanges, content: content)
        return try await queue.run(key: RequestQueue.profileKey(application.id, integrationId)) {
            try await evaluateAndCommit(application, [request], dry: dry, now: now.storagePrecision)[0]
        }
    }

    /// `PUT /v2/customer_profiles` (bulk): every profile's attributes checked first, the rules run for each,
    /// then all written in one transaction, so a failure leaves none of them changed.
    public func updateMany(
        application: Application, updates: [(integrationId: String, attributes: [String: JSONValue])], dry: Bool,
        now: Date = Date()
    ) async throws -> [ProfileUpdateResult] {
        let catalog = try await attributes.catalog(accountId: application.accountId)
        var issues: [ValidationIssue] = []
        for (index, update) in updates.enumerated() {
            if update.integrationId.isEmpty || update.integrationId.count > 1000 {
                issues.append(.init(pointer: "/customerProfiles/\(index)/integrationId", message: "must be 1 to 1000 characters"))
            }
            issues += catalog.validate(update.attributes, of: .customerProfile, at: "/customerProfiles/\(index)/attributes")
        }
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        let requests = updates.map {
            ProfileRequest(integrationId: $0.integrationId, attributes: $0.attributes, event: nil, runsRules: true)
        }
        return try await evaluateAndCommit(application, requests, dry: dry, now: now.storagePrecision)
    }

    /// Records a custom event for a profile and runs the rules with it bound as `Event`.
    public func track(
        application: Application, profileId: String?, event custom: CustomEvent, evaluableCampaignIds: [Int64]?,
        advanced: AdvancedEvent? = nil, dry: Bool, answering content: AnswerContent = [], now: Date = Date()
    ) async throws -> ProfileUpdateResult {
        guard !custom.type.isEmpty, !CustomEvent.isReserved(custom.type) else {
            throw ValidationIssue(pointer: "/type", message: "must be a custom event name (not empty, not talon_…)")
        }
        if !custom.attributes.isEmpty {
            let catalog = try await attributes.catalog(accountId: application.accountId)
            let issues = custom.attributes.keys.sorted().compactMap { name -> ValidationIssue? in
                guard let definition = catalog.definition(.event, name),
                      definition.eventType == nil || definition.eventType == custom.type
                else {
                    return ValidationIssue(pointer: "/attributes/\(name)",
                                           message: "unknown attribute '\(name)' for event type '\(custom.type)'")
                }
                return definition.type.accepts(custom.attributes[name] ?? .null) ? nil
                    : ValidationIssue(pointer: "/attributes/\(name)", message: "must be of type \(definition.type.rawValue)")
            }
            guard issues.isEmpty else { throw ValidationFailure(issues) }
        }
        let integrationId = profileId.flatMap { $0.isEmpty ? nil : $0 } ?? "anonymous-\(UUID().uuidString)"
        try Self.checkIntegrationId(integrationId)
        if let connected = advanced?.connectedSessionId {
            // The session referred to must exist and be closed (Talon.One: "Otherwise, the API call will fail").
            let snapshot = try await store.sessionSnapshot(
                applicationId: application.id, sessionId: connected, profileId: nil, normalizedCouponCodes: [],
                countersOf: [], periodKeys: []
            )
            guard snapshot.session?.state == .closed else {
                throw ValidationIssue(pointer: "/connectedSessionId", message: "must name a closed session")
            }
        }
        var profileRequest = ProfileRequest(integrationId: integrationId, attributes: [:], event: custom,
                                            runsRules: true, evaluableCampaignIds: evaluableCampaignIds)
        profileRequest.advanced = advanced
        profileRequest.content = content
        let request = profileRequest
        return try await queue.run(key: RequestQueue.profileKey(application.id, integrationId)) {
            try await evaluateAndCommit(application, [request], dry: dry, now: now.storagePrecision)[0]
        }
    }

    /// Reads, evaluates and commits the profiles' changes in one transaction; when the commit lost a race (a
    /// created code was taken, a `createCoupon` budget ran out), reads again and re-evaluates.
    private func evaluateAndCommit(
        _ application: Application, _ requests: [ProfileRequest], dry: Bool, now: Date
    ) async throws -> [ProfileUpdateResult] {
        let lineup = try await campaigns.lineup(applicationId: application.id)
        for attempt in 1...maximumAttempts {
            var planned: [(commit: ProfileCommit, result: ProfileUpdateResult)] = []
            // Coupons created by the profiles planned before count against the budgets of the ones after.
            var created: [Int64: Int] = [:]
            for request in requests {
                let next = try await plan(request, application: application, lineup: lineup, createdBefore: created,
                                          dry: dry, now: now)
                for (coupon, _) in next.commit.createdCoupons { created[coupon.campaignId, default: 0] += 1 }
                planned.append(next)
            }
            guard !dry else { return planned.map(\.result) }
            do {
                let committed = try await store.commitProfiles(planned.map(\.commit))
                return zip(planned, committed).map { planned, committed in
                    var result = planned.result
                    result.profile = committed.profile
                    result.event = committed.event
                    result.createdCoupons = committed.createdCoupons
                    result.answer = committed.answer
                    return result
                }
            } catch StoreError.sessionChanged where attempt < maximumAttempts {
                continue
            } catch StoreError.campaignLimitReached where attempt < maximumAttempts {
                continue
            }
        }
        throw StoreError.sessionChanged
    }

    /// One profile's commit and answer. Rules outside a session see an empty cart.
    private func plan(
        _ request: ProfileRequest, application: Application, lineup: CampaignLineup, createdBefore: [Int64: Int],
        dry: Bool, now: Date
    ) async throws -> (commit: ProfileCommit, result: ProfileUpdateResult) {
        let evaluates = request.runsRules && !lineup.programs.isEmpty
        func answerReads(campaignIds: [Int64]) -> AnswerReads {
            request.content.reads(application: application, sessionId: nil, profileId: request.integrationId,
                                  campaignIds: request.content.contains(.triggeredCampaigns) ? campaignIds : [],
                                  couponIds: [], referralId: nil)
        }
        // A dry run reads what its answer shows with the snapshot, before the rules named their campaigns.
        var snapshot = try await store.sessionSnapshot(
            applicationId: application.id, sessionId: "", profileId: request.integrationId, couponCodes: .normalized([]),
            countersOf: evaluates ? lineup.budgetedCampaignIds : [], periodKeys: [],
            answering: dry ? answerReads(campaignIds: lineup.programs.map(\.campaignId)) : AnswerReads()
        )
        for (campaignId, count) in createdBefore where snapshot.campaignCounters[campaignId] != nil {
            snapshot.campaignCounters[campaignId]?.couponCreationCount += count
        }
        var profile = snapshot.profile ?? CustomerProfile(
            integrationId: request.integrationId, accountId: application.accountId, applicationId: application.id,
            created: now, lastActivity: now
        )
        profile.attributes.merge(request.attributes) { _, new in new }
        profile.lastActivity = now
        var input = EvaluationInput(
            application: application,
            session: CustomerSession(integrationId: "", applicationId: application.id,
                                     profileId: request.integrationId, created: now, updated: now),
            profile: profile, campaigns: lineup.programs, coupons: [],
            evaluableCampaignIds: request.evaluableCampaignIds.map(Set.init), event: request.event,
            campaignCounters: snapshot.campaignCounters, profileRedemptions: snapshot.profileRedemptions,
            evaluationTree: lineup.evaluationTree, now: now
        )
        input.customEffectIds = lineup.customEffectIds
        input.collections = lineup.collections
        if evaluates, lineup.usesAudiences {
            input.audienceIds = try await AudienceSteps.memberships(
                store, accountId: application.accountId, profileId: request.integrationId
            ).applying(request.audienceChanges)
        }
        var outcome = evaluates ? RuleEngine.evaluate(input)
            : EvaluationOutcome(effects: [], acceptedCoupons: [], triggeredCampaignIds: [])
        try await AudienceSteps.name(&outcome.effects, store: store, accountId: application.accountId)
        let changes = RuleChanges(outcome, application: application, programs: lineup.programs, now: now)
        profile.attributes.merge(changes.profileAttributes) { _, new in new }
        var event = SessionEvent(
            applicationId: application.id, type: request.event.map { .custom($0.type) } ?? .profileUpdated,
            sessionId: nil, profileId: request.integrationId, attributes: request.event?.attributes ?? [:],
            effects: outcome.effects, created: now
        )
        event.integrationId = request.advanced?.integrationId
        event.connectedSessionId = request.advanced?.connectedSessionId
        var commit = ProfileCommit(
            applicationId: application.id, integrationId: request.integrationId,
            attributes: request.attributes.merging(changes.profileAttributes) { _, new in new }, event: event, now: now
        )
        commit.campaignCounters = CampaignCounterDelta.closing(outcome)
        commit.createdCoupons = changes.createdCoupons
        commit.couponCreationMaximums = changes.couponCreationMaximums
        commit.audienceChanges = request.audienceChanges + outcome.effects.compactMap(\.audienceMembershipChange)
        commit.answerReads = answerReads(campaignIds: outcome.triggeredCampaignIds)
        let result = ProfileUpdateResult(
            profile: profile, effects: outcome.effects, event: event, triggeredCampaignIds: outcome.triggeredCampaignIds,
            createdCoupons: changes.createdCoupons.map(\.coupon), answer: snapshot.answer
        )
        return (commit, result)
    }

    static func checkIntegrationId(_ id: String) throws {
        guard !id.isEmpty, id.count <= 1000 else {
            throw ValidationIssue(pointer: "/integrationId", message: "must be 1 to 1000 characters")
        }
    }
}

extension RequestQueue {
    static func profileKey(_ applicationId: Int64, _ integrationId: String) -> String {
        "\(applicationId)/profile/\(integrationId)"
    }

    static func sessionKey(_ applicationId: Int64, _ sessionId: String) -> String {
        "\(applicationId)/session/\(sessionId)"
    }
}
