import Foundation
import PromotionEngine
import Storage

/// The answer to a profile update or a custom event.
public struct ProfileUpdateResult: Sendable {
    public var profile: CustomerProfile
    public var effects: [Effect]
    public var event: SessionEvent?
    public var triggeredCampaignIds: [Int64]
}

/// `PUT /v2/customer_profiles/{id}` and `POST /v2/events` as use cases, one line per profile.
public struct ProfileService: Sendable {
    let store: any Store
    let campaigns: any CampaignCatalog
    let queue: RequestQueue
    let attributes: AttributeCatalogCache

    public init(store: any Store, campaigns: any CampaignCatalog, queue: RequestQueue,
                attributes: AttributeCatalogCache? = nil)
    {
        self.store = store
        self.campaigns = campaigns
        self.queue = queue
        self.attributes = attributes ?? AttributeCatalogCache(store: store)
    }

    /// Merges `attributes` into the profile (creating it), optionally running the rules on the profile alone.
    public func update(
        application: Application, integrationId: String, attributes: [String: JSONValue], runRuleEngine: Bool,
        evaluableCampaignIds: [Int64]?, dry: Bool, now: Date = Date()
    ) async throws -> ProfileUpdateResult {
        try Self.checkIntegrationId(integrationId)
        if !attributes.isEmpty {
            let issues = try await self.attributes.catalog(accountId: application.accountId)
                .validate(attributes, of: .customerProfile, at: "/attributes")
            guard issues.isEmpty else { throw ValidationFailure(issues) }
        }
        let now = now.storagePrecision
        return try await queue.run(key: RequestQueue.profileKey(application.id, integrationId)) {
            let stored = try await store.profile(applicationId: application.id, integrationId: integrationId)
            var profile = stored ?? CustomerProfile(
                integrationId: integrationId, accountId: application.accountId, applicationId: application.id,
                created: now, lastActivity: now
            )
            profile.attributes.merge(attributes) { _, new in new }
            profile.lastActivity = now
            let outcome = runRuleEngine
                ? try await evaluate(application, profile: profile, event: nil, evaluableCampaignIds, now: now) : nil
            let event = SessionEvent(
                applicationId: application.id, type: "talon_profile_updated", sessionId: nil, profileId: integrationId,
                attributes: [:], effects: outcome?.effects ?? [], created: now
            )
            guard !dry else {
                return ProfileUpdateResult(profile: profile, effects: outcome?.effects ?? [], event: event,
                                           triggeredCampaignIds: outcome?.triggeredCampaignIds ?? [])
            }
            let (saved, savedEvent) = try await store.commitProfile(ProfileCommit(
                applicationId: application.id, integrationId: integrationId, attributes: attributes, event: event,
                now: now
            ))
            return ProfileUpdateResult(profile: saved, effects: outcome?.effects ?? [], event: savedEvent,
                                       triggeredCampaignIds: outcome?.triggeredCampaignIds ?? [])
        }
    }

    /// `PUT /v2/customer_profiles` (bulk): every profile's attributes checked first, then all written in one
    /// transaction, so a failure leaves none of them changed.
    public func updateMany(
        application: Application, updates: [(integrationId: String, attributes: [String: JSONValue])], dry: Bool,
        now: Date = Date()
    ) async throws -> [CustomerProfile] {
        let now = now.storagePrecision
        let catalog = try await attributes.catalog(accountId: application.accountId)
        var issues: [ValidationIssue] = []
        for (index, update) in updates.enumerated() {
            if update.integrationId.isEmpty || update.integrationId.count > 1000 {
                issues.append(.init(pointer: "/customerProfiles/\(index)/integrationId", message: "must be 1 to 1000 characters"))
            }
            issues += catalog.validate(update.attributes, of: .customerProfile, at: "/customerProfiles/\(index)/attributes")
        }
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        let commits = updates.map { update in
            ProfileCommit(
                applicationId: application.id, integrationId: update.integrationId, attributes: update.attributes,
                event: SessionEvent(applicationId: application.id, type: "talon_profile_updated", sessionId: nil,
                                    profileId: update.integrationId, effects: [], created: now),
                now: now
            )
        }
        guard !dry else {
            return updates.map {
                CustomerProfile(integrationId: $0.integrationId, accountId: application.accountId,
                                applicationId: application.id, attributes: $0.attributes, created: now, lastActivity: now)
            }
        }
        return try await store.commitProfiles(commits)
    }

    /// Records a custom event for a profile and runs the rules with it bound as `Event`.
    public func track(
        application: Application, profileId: String?, event custom: CustomEvent, evaluableCampaignIds: [Int64]?,
        dry: Bool, now: Date = Date()
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
        let now = now.storagePrecision
        return try await queue.run(key: RequestQueue.profileKey(application.id, integrationId)) {
            let profile = try await store.profile(applicationId: application.id, integrationId: integrationId)
                ?? CustomerProfile(integrationId: integrationId, accountId: application.accountId,
                                   applicationId: application.id, created: now, lastActivity: now)
            let outcome = try await evaluate(application, profile: profile, event: custom, evaluableCampaignIds, now: now)
            let event = SessionEvent(
                applicationId: application.id, type: custom.type, sessionId: nil, profileId: integrationId,
                attributes: custom.attributes, effects: outcome.effects, created: now
            )
            guard !dry else {
                return ProfileUpdateResult(profile: profile, effects: outcome.effects, event: event,
                                           triggeredCampaignIds: outcome.triggeredCampaignIds)
            }
            let (saved, savedEvent) = try await store.commitProfile(ProfileCommit(
                applicationId: application.id, integrationId: integrationId, attributes: [:], event: event, now: now
            ))
            return ProfileUpdateResult(profile: saved, effects: outcome.effects, event: savedEvent,
                                       triggeredCampaignIds: outcome.triggeredCampaignIds)
        }
    }

    /// Rules outside a session see an empty cart.
    private func evaluate(
        _ application: Application, profile: CustomerProfile, event: CustomEvent?, _ evaluableCampaignIds: [Int64]?,
        now: Date
    ) async throws -> EvaluationOutcome {
        let session = CustomerSession(
            integrationId: "", applicationId: application.id, profileId: profile.integrationId, created: now,
            updated: now
        )
        let lineup = try await campaigns.lineup(applicationId: application.id)
        return RuleEngine.evaluate(EvaluationInput(
            application: application, session: session, profile: profile, campaigns: lineup.programs, coupons: [],
            evaluableCampaignIds: evaluableCampaignIds.map(Set.init), event: event,
            evaluationTree: lineup.evaluationTree, now: now
        ))
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
