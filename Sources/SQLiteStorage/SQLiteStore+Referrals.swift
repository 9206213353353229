import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: ReferralStore {
    public func insertReferrals(_ referrals: [Referral], applicationId: Int64, normalizedCodes: [String],
                                skipExisting: Bool) async throws -> [Referral]
    {
        try await pool.write { db in
            var inserted: [Referral] = []
            for (index, referral) in referrals.enumerated() {
                guard let stored = try Self.insertReferral(db, referral, applicationId: applicationId,
                                                           normalizedCode: normalizedCodes[index])
                else {
                    if skipExisting { continue }
                    throw StoreError.conflict("referral code \(referral.code) exists already")
                }
                inserted.append(stored)
            }
            return inserted
        }
    }

    /// Inserts one referral (the API's, an import's or a rule's); nil when the application has its code already.
    static func insertReferral(_ db: Database, _ referral: Referral, applicationId: Int64, normalizedCode: String)
        throws -> Referral?
    {
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO referral (application_id, campaign_id, code, normalized_code,
                advocate_profile_integration_id, friend_profile_integration_id, usage_limit, start_date,
                expiry_date, batch_id, import_id, attributes, created)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                applicationId, referral.campaignId, referral.code, normalizedCode,
                referral.advocateProfileIntegrationId, referral.friendProfileIntegrationId, referral.usageLimit,
                referral.startDate?.stored, referral.expiryDate?.stored, referral.batchId, referral.importId,
                try encodeJSON(referral.attributes ?? [:]), referral.created.stored,
            ])
        guard db.changesCount == 1 else { return nil }
        var stored = referral
        stored.id = db.lastInsertedRowID
        return stored
    }

    /// A session commit's referrals made by rules: a code taken meanwhile fails the commit with `sessionChanged`,
    /// so the service evaluates again and draws new codes.
    static func insertCreatedReferrals(_ db: Database, _ commit: SessionCommit, applicationId: Int64) throws
        -> [Referral]
    {
        try commit.createdReferrals.map { created in
            guard let stored = try insertReferral(db, created.referral, applicationId: applicationId,
                                                  normalizedCode: created.normalizedCode)
            else { throw StoreError.sessionChanged }
            return stored
        }
    }

    public func referrals(applicationId: Int64, filter: ReferralFilter, page: PageRequest) async throws
        -> (referrals: [Referral], hasMore: Bool)
    {
        let (condition, arguments) = Self.referralCondition(applicationId: applicationId, filter: filter)
        let order = try Self.orderClause(page.sort, allowed: ["id": "id", "created": "created", "code": "code"],
                                         default: "id")
        return try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM referral WHERE \(condition) \(order) LIMIT ? OFFSET ?",
                                        arguments: arguments + [page.pageSize + 1, page.skip])
            return (try rows.prefix(page.pageSize).map(Self.referral(from:)), rows.count > page.pageSize)
        }
    }

    public func referral(id: Int64, applicationId: Int64, campaignId: Int64) async throws -> Referral {
        try await pool.read { db in try Self.referral(db, id: id, applicationId: applicationId, campaignId: campaignId) }
    }

    public func updateReferral(id: Int64, applicationId: Int64, campaignId: Int64, changes: ReferralChanges)
        async throws -> Referral
    {
        var sets: [String] = []
        var arguments = StatementArguments()
        if let friend = changes.friendProfileIntegrationId {
            sets.append("friend_profile_integration_id = ?")
            arguments += [friend.isEmpty ? nil : friend]
        }
        if let date = changes.startDate { sets.append("start_date = ?"); arguments += [date] }
        if let date = changes.expiryDate { sets.append("expiry_date = ?"); arguments += [date] }
        if let limit = changes.usageLimit { sets.append("usage_limit = ?"); arguments += [limit] }
        if let attributes = changes.attributes {
            sets.append("attributes = ?")
            arguments += [try Self.encodeJSON(attributes)]
        }
        let assignments = sets.joined(separator: ", ")
        let changes = !sets.isEmpty
        let allArguments = arguments + [id, applicationId, campaignId]
        return try await pool.write { db in
            if changes {
                try db.execute(
                    sql: "UPDATE referral SET \(assignments) WHERE id = ? AND application_id = ? AND campaign_id = ?",
                    arguments: allArguments
                )
            }
            return try Self.referral(db, id: id, applicationId: applicationId, campaignId: campaignId)
        }
    }

    public func deleteReferral(id: Int64, applicationId: Int64, campaignId: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM referral WHERE id = ? AND application_id = ? AND campaign_id = ?",
                           arguments: [id, applicationId, campaignId])
            if db.changesCount == 0 { throw StoreError.notFound(entity: "referral") }
        }
    }

    public func referralContext(applicationId: Int64, normalizedCode: String, profileId: String?) async throws
        -> ReferralContext
    {
        try await pool.read { db in
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM referral WHERE application_id = ? AND normalized_code = ?"),
                arguments: [applicationId, normalizedCode]
            ) else { return ReferralContext(referral: nil) }
            let referral = try Self.referral(from: row)
            let referred = try profileId.map { friend in
                try Bool.fetchOne(db, sql: """
                    SELECT EXISTS (SELECT 1 FROM referred_friend WHERE campaign_id = ? AND friend_profile_integration_id = ?)
                    """, arguments: [referral.campaignId, friend]) ?? false
            } ?? false
            let advocate = try Self.profile(db, applicationId: applicationId,
                                            integrationId: referral.advocateProfileIntegrationId)
            return ReferralContext(referral: referral, friendAlreadyReferred: referred, advocateExists: advocate != nil)
        }
    }

    public func referredFriends(applicationId: Int64, advocateProfileIntegrationId: String, page: PageRequest)
        async throws -> (friends: [ReferredFriend], hasMore: Bool)
    {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM referred_friend WHERE application_id = ? AND advocate_profile_integration_id = ?
                ORDER BY created DESC, referral_id DESC LIMIT ? OFFSET ?
                """, arguments: [applicationId, advocateProfileIntegrationId, page.pageSize + 1, page.skip])
            return (rows.prefix(page.pageSize).map(Self.referredFriend(from:)), rows.count > page.pageSize)
        }
    }

    static func referredFriend(from row: Row) -> ReferredFriend {
        ReferredFriend(campaignId: row["campaign_id"], referralId: row["referral_id"], code: row["code"],
                       sessionId: row["session_id"], advocateProfileIntegrationId: row["advocate_profile_integration_id"],
                       friendProfileIntegrationId: row["friend_profile_integration_id"], created: row.date("created"))
    }

    // MARK: On the session path (inside the session's write transaction)

    /// The referral guard: one conditional statement takes a use only while the code is under its limit, and
    /// the friend's row (one per campaign) is inserted only once; either failing refuses the close
    /// (`referralLimitReached`, and the session is re-evaluated). A cancel gives both back.
    static func applyReferralRedemption(_ db: Database, _ change: ReferralRedemption, session: CustomerSession) throws
    {
        let referral = change.referral
        if change.direction > 0 {
            try db.cachedStatement(sql: """
                UPDATE referral SET usage_counter = usage_counter + 1
                WHERE id = ?1 AND (usage_limit = 0 OR usage_counter + 1 <= usage_limit)
                    AND (?2 IS NULL OR usage_counter + 1 <= ?2)
                """).execute(arguments: [referral.referralId, change.maximumUses])
            guard db.changesCount == 1 else { throw StoreError.referralLimitReached(referralId: referral.referralId) }
            guard let friend = change.friendProfileIntegrationId else { return }
            try db.cachedStatement(sql: """
                INSERT INTO referred_friend (application_id, campaign_id, friend_profile_integration_id, referral_id,
                    code, session_id, advocate_profile_integration_id, created)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, friend_profile_integration_id) DO NOTHING
                """).execute(arguments: [session.applicationId, referral.campaignId, friend, referral.referralId,
                                         referral.code, session.integrationId, referral.advocateProfileIntegrationId,
                                         session.updated.stored])
            guard db.changesCount == 1 else { throw StoreError.referralLimitReached(referralId: referral.referralId) }
        } else {
            try db.cachedStatement(sql: "UPDATE referral SET usage_counter = max(usage_counter - 1, 0) WHERE id = ?")
                .execute(arguments: [referral.referralId])
            guard let friend = change.friendProfileIntegrationId else { return }
            try db.cachedStatement(sql: """
                DELETE FROM referred_friend WHERE campaign_id = ? AND friend_profile_integration_id = ? AND referral_id = ?
                """).execute(arguments: [referral.campaignId, friend, referral.referralId])
        }
    }

    private static func referral(_ db: Database, id: Int64, applicationId: Int64, campaignId: Int64) throws -> Referral {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT * FROM referral WHERE id = ? AND application_id = ? AND campaign_id = ?",
            arguments: [id, applicationId, campaignId]
        ) else { throw StoreError.notFound(entity: "referral") }
        return try referral(from: row)
    }

    private static func referralCondition(applicationId: Int64, filter: ReferralFilter) -> (String, StatementArguments) {
        var conditions = ["application_id = ?"]
        var arguments: StatementArguments = [applicationId]
        if let campaignId = filter.campaignId { conditions.append("campaign_id = ?"); arguments += [campaignId] }
        if let code = filter.code { conditions.append("instr(code, ?) > 0"); arguments += [code] }
        if let advocate = filter.advocate {
            conditions.append("advocate_profile_integration_id = ?")
            arguments += [advocate]
        }
        if let afterId = filter.afterId { conditions.append("id > ?"); arguments += [afterId] }
        if let batchId = filter.batchId { conditions.append("batch_id = ?"); arguments += [batchId] }
        switch filter.validity {
        case .expired?: conditions.append("expiry_date <= ?"); arguments += [filter.now]
        case .validNow?:
            conditions.append("(start_date IS NULL OR start_date <= ?) AND (expiry_date IS NULL OR expiry_date > ?)")
            arguments += [filter.now, filter.now]
        case .validFuture?: conditions.append("start_date > ?"); arguments += [filter.now]
        case nil: break
        }
        if let before = filter.createdBefore { conditions.append("created < ?"); arguments += [before] }
        if let after = filter.createdAfter { conditions.append("created > ?"); arguments += [after] }
        if let usable = filter.usable {
            let usableCondition = "((usage_limit = 0 OR usage_counter < usage_limit) AND (expiry_date IS NULL OR expiry_date > ?))"
            conditions.append(usable ? usableCondition : "NOT \(usableCondition)")
            arguments += [Date()]
        }
        return (conditions.joined(separator: " AND "), arguments)
    }

    static func referral(from row: Row) throws -> Referral {
        var referral = Referral(
            id: row["id"], campaignId: row["campaign_id"], code: row["code"],
            advocateProfileIntegrationId: row["advocate_profile_integration_id"],
            friendProfileIntegrationId: row["friend_profile_integration_id"], usageLimit: row["usage_limit"],
            usageCounter: row["usage_counter"], created: row.date("created")
        )
        referral.startDate = row.optionalDate("start_date")
        referral.expiryDate = row.optionalDate("expiry_date")
        referral.batchId = row["batch_id"]
        referral.importId = row["import_id"]
        let attributes: String = row["attributes"]
        referral.attributes = attributes == "{}" ? nil : try decodeJSON([String: JSONValue].self, from: attributes)
        return referral
    }
}
