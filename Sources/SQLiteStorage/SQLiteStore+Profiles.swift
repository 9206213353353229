import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: ProfileStore {
    public func commitProfile(_ commit: ProfileCommit) async throws -> CommittedProfile {
        try await integrationWrites.write { db in try Self.apply(db, commit) }
    }

    public func commitProfiles(_ commits: [ProfileCommit]) async throws -> [CommittedProfile] {
        try await integrationWrites.write { db in try commits.map { try Self.apply(db, $0) } }
    }

    private static func apply(_ db: Database, _ commit: ProfileCommit) throws -> CommittedProfile {
        // Counter rows before the profile row, the order a session commit takes (see `SQLiteStore+Guards`).
        let created = try applyCampaignChanges(
            db, applicationId: commit.applicationId, counters: commit.campaignCounters,
            createdCoupons: commit.createdCoupons, creationMaximums: commit.couponCreationMaximums, now: commit.now
        )
        try applyAudienceChanges(db, commit.audienceChanges, now: commit.now)
        var profile = try profile(db, applicationId: commit.applicationId, integrationId: commit.integrationId)
            ?? insertProfile(db, applicationId: commit.applicationId, integrationId: commit.integrationId, now: commit.now)
        profile.attributes.merge(commit.attributes) { _, new in new }
        profile.lastActivity = commit.now
        try db.cachedStatement(sql: "UPDATE customer_profile SET attributes = ?, last_activity = ? WHERE id = ?")
            .execute(arguments: [StoredAttributes.text(profile.attributes), profile.lastActivity.stored, profile.id])
        var event = commit.event
        if let recorded = event {
            event?.id = try insertEvent(db, recorded, attributes: StoredAttributes.text(recorded.attributes),
                                        effects: JSONText.effects(recorded.effects))
        }
        var committed = CommittedProfile(profile: profile, event: event, createdCoupons: created)
        committed.answer = try answer(db, commit.answerReads, applicationId: commit.applicationId, session: nil)
        return committed
    }

    public func eraseCustomerData(applicationId: Int64, integrationId: String) async throws {
        try await pool.write { db in
            guard let profile = try Self.profile(db, applicationId: applicationId, integrationId: integrationId) else {
                throw StoreError.notFound(entity: "customer profile")
            }
            try db.execute(sql: "UPDATE customer_profile SET attributes = '{}' WHERE id = ?", arguments: [profile.id])
            try db.execute(
                sql: """
                    UPDATE customer_session SET body = json_set(body, '$.attributes', json('{}'))
                    WHERE application_id = ? AND profile_integration_id = ?
                    """,
                arguments: [applicationId, integrationId]
            )
            try db.execute(
                sql: "UPDATE event SET attributes = '{}' WHERE application_id = ? AND profile_integration_id = ?",
                arguments: [applicationId, integrationId]
            )
            try Self.scrubAccessLog(db, applicationId: applicationId, integrationId: integrationId)
        }
    }

    /// Blanks the payloads of every access-log entry that names the profile (its id as a JSON string in a
    /// payload, or as a path segment): they hold its attributes. Rare, so a scan of the application's log.
    static func scrubAccessLog(_ db: Database, applicationId: Int64, integrationId: String) throws {
        let quoted = try encodeJSON(integrationId)
        let segment = "/" + (integrationId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? integrationId)
        try db.execute(
            sql: """
                UPDATE access_log SET request_payload = '', response_payload = ''
                WHERE application_id = ? AND (instr(request_payload, ?) > 0 OR instr(response_payload, ?) > 0
                    OR instr(request_uri, ?) > 0 OR instr(request_uri, ?) > 0)
                """,
            arguments: [applicationId, quoted, quoted, segment, "/" + integrationId]
        )
    }

    static func insertProfile(_ db: Database, applicationId: Int64, integrationId: String, now: Date) throws
        -> CustomerProfile
    {
        let accountId = try Int64.fetchOne(
            db, sql: "SELECT account_id FROM application WHERE id = ?", arguments: [applicationId]
        ) ?? 1
        try db.execute(
            sql: """
                INSERT INTO customer_profile (application_id, account_id, integration_id, attributes, closed_sessions,
                    total_sales, created, last_activity) VALUES (?, ?, ?, '{}', 0, '0', ?, ?)
                """,
            arguments: [applicationId, accountId, integrationId, now.storedText, now.storedText]
        )
        return CustomerProfile(
            id: db.lastInsertedRowID, integrationId: integrationId, accountId: accountId,
            applicationId: applicationId, created: now, lastActivity: now
        )
    }

    static func insertEvent(_ db: Database, _ event: SessionEvent, attributes: String, effects: String) throws -> Int64 {
        try mappingConstraints("an event with this integrationId exists") {
            try db.cachedStatement(sql: """
                INSERT INTO event (application_id, type, session_integration_id, profile_integration_id,
                    attributes, effects, created, integration_id, connected_session_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [event.applicationId, event.type.rawValue, event.sessionId, event.profileId,
                                         attributes, effects, event.created.storedText, event.integrationId,
                                         event.connectedSessionId])
        }
        return db.lastInsertedRowID
    }
}
