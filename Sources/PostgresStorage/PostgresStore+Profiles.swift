import Foundation
import PromotionEngine
import Storage

extension PostgresStore: ProfileStore {
    public func commitProfile(_ commit: ProfileCommit) async throws -> CommittedProfile {
        try await write { db in try await Self.apply(db, commit) }
    }

    public func commitProfiles(_ commits: [ProfileCommit]) async throws -> [CommittedProfile] {
        try await write { db in
            var committed: [CommittedProfile] = []
            for commit in commits { committed.append(try await Self.apply(db, commit)) }
            return committed
        }
    }

    private static func apply(_ db: Database, _ commit: ProfileCommit) async throws -> CommittedProfile {
        // Audience memberships, then counter rows, then the profile row: the order a session commit takes (see
        // `PostgresStore+Guards`).
        try await applyAudienceChanges(db, commit.audienceChanges, now: commit.now)
        let created = try await applyCampaignChanges(
            db, applicationId: commit.applicationId, counters: commit.campaignCounters,
            createdCoupons: commit.createdCoupons, creationMaximums: commit.couponCreationMaximums, now: commit.now
        )
        // The profile row locked while its attributes merge: a concurrent update on another node waits, and
        // merges into what this one wrote.
        var profile = try await lockProfile(db, applicationId: commit.applicationId,
                                            integrationId: commit.integrationId, closedSessionsDelta: 0, now: commit.now)
        profile.attributes.merge(commit.attributes) { _, new in new }
        try await db.execute("UPDATE customer_profile SET attributes = ? WHERE id = ?",
                             [StoredAttributes.text(profile.attributes), profile.id])
        var event = commit.event
        if let recorded = event {
            event?.id = try await insertEvent(db, recorded, attributes: StoredAttributes.text(recorded.attributes),
                                              effects: JSONText.effects(recorded.effects))
        }
        var committed = CommittedProfile(profile: profile, event: event, createdCoupons: created)
        committed.answer = try await answer(db, commit.answerReads, applicationId: commit.applicationId, session: nil)
        return committed
    }

    public func eraseCustomerData(applicationId: Int64, integrationId: String) async throws {
        try await write { db in
            guard let profile = try await Self.profile(db, applicationId: applicationId, integrationId: integrationId)
            else { throw StoreError.notFound(entity: "customer profile") }
            try await db.execute("UPDATE customer_profile SET attributes = '{}' WHERE id = ?", [profile.id])
            try await db.execute("""
                UPDATE customer_session SET body = jsonb_set(body::jsonb, '{attributes}', '{}'::jsonb)::text
                WHERE application_id = ? AND profile_integration_id = ?
                """, [applicationId, integrationId])
            try await db.execute(
                "UPDATE event SET attributes = '{}' WHERE application_id = ? AND profile_integration_id = ?",
                [applicationId, integrationId]
            )
            try await Self.scrubAccessLog(db, applicationId: applicationId, integrationId: integrationId)
        }
    }

    /// Blanks the payloads of every access-log entry that names the profile (its id as a JSON string in a
    /// payload, or as a path segment): they hold its attributes. Rare, so a scan of the application's log.
    static func scrubAccessLog(_ db: Database, applicationId: Int64, integrationId: String) async throws {
        let quoted = try StoredJSON.encode(integrationId)
        let segment = "/" + (integrationId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? integrationId)
        try await db.execute("""
            UPDATE access_log SET request_payload = '', response_payload = ''
            WHERE application_id = ? AND (strpos(request_payload, ?) > 0 OR strpos(response_payload, ?) > 0
                OR strpos(request_uri, ?) > 0 OR strpos(request_uri, ?) > 0)
            """, [applicationId, quoted, quoted, segment, "/" + integrationId])
    }

    static func insertEvent(_ db: Database, _ event: SessionEvent, attributes: String, effects: String) async throws
        -> Int64
    {
        try await mappingUniqueViolation(to: .conflict("an event with this integrationId exists")) {
            try await db.value(Int64.self, """
                INSERT INTO event (application_id, type, session_integration_id, profile_integration_id,
                    attributes, effects, created, integration_id, connected_session_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, [event.applicationId, event.type.rawValue, event.sessionId, event.profileId, attributes, effects,
                      event.created, event.integrationId, event.connectedSessionId]) ?? 0
        }
    }
}
