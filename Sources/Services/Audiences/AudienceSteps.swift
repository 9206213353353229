import Foundation
import PromotionEngine
import Storage

/// Audience steps of sessions and profile updates: memberships read for the rules, and the names the
/// `addToAudience` / `removeFromAudience` effects carry (the engine knows audiences by id only).
enum AudienceSteps {
    /// The audiences `profileId` is a member of; nothing is read for an anonymous request.
    static func memberships(_ store: any Store, accountId: Int64, profileId: String?) async throws -> Set<Int64> {
        guard let profileId, !profileId.isEmpty else { return [] }
        return Set(try await store.audienceMemberships(accountId: accountId, profileIntegrationId: profileId).map(\.id))
    }

    /// Fills `audienceName` into the audience effects (read only when there are some); an audience that does not
    /// exist keeps an empty name, and its membership change is skipped by the store.
    static func name(_ effects: inout [Effect], store: any Store, accountId: Int64) async throws {
        let ids = Set(effects.compactMap { $0.audienceMembershipChange?.audienceId })
        guard !ids.isEmpty else { return }
        var names: [Int64: String] = [:]
        for id in ids {
            names[id] = try? await store.audience(id: id, accountId: accountId).name
        }
        for index in effects.indices {
            switch effects[index].kind {
            case .addToAudience(var props):
                props.audienceName = names[props.audienceId] ?? ""
                effects[index].kind = .addToAudience(props)
            case .removeFromAudience(var props):
                props.audienceName = names[props.audienceId] ?? ""
                effects[index].kind = .removeFromAudience(props)
            default: continue
            }
        }
    }

    /// The same for a session commit: its effects and its event's.
    static func name(_ commit: inout SessionCommit, store: any Store, accountId: Int64) async throws {
        guard commit.effects.contains(where: { $0.audienceMembershipChange != nil }) else { return }
        let same = commit.event.effects == commit.effects
        try await name(&commit.effects, store: store, accountId: accountId)
        if same { commit.event.effects = commit.effects } else {
            try await name(&commit.event.effects, store: store, accountId: accountId)
        }
    }
}

extension Set<Int64> {
    /// The memberships after the changes (in order).
    func applying(_ changes: [AudienceMembershipChange]) -> Set<Int64> {
        changes.reduce(into: self) { ids, change in
            if change.joins { ids.insert(change.audienceId) } else { ids.remove(change.audienceId) }
        }
    }
}
