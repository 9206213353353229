import Foundation
import PromotionEngine
import Storage

extension PostgresStore: ReferralStore {
    public func insertReferrals(_ referrals: [Referral], applicationId: Int64, normalizedCodes: [String],
                                skipExisting: Bool) async throws -> [Referral]
    {
        try await write { db in
            var inserted: [Referral] = []
            for (index, referral) in referrals.enumerated() {
                guard let stored = try await Self.insertReferral(db, referral, applicationId: applicationId,
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
        async throws -> Referral?
    {
        guard let id = try await db.value(Int64.self, """
            INSERT INTO referral (application_id, campaign_id, code, normalized_code,
                advocate_profile_integration_id, friend_profile_integration_id, usage_limit, start_date,
                expiry_date, batch_id, import_id, attributes, created)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (application_id, normalized_code) DO NOTHING
            RETURNING id
            """, [
                applicationId, referral.campaignId, referral.code, normalizedCode,
                referral.advocateProfileIntegrationId, referral.friendProfileIntegrationId,
                referral.usageLimit, referral.startDate, referral.expiryDate, referral.batchId,
                referral.importId, try StoredJSON.encode(referral.attributes ?? [:]), referral.created,
            ])
        else { return nil }
        var stored = referral
        stored.id = id
        return stored
    }

    /// A session commit's referrals made by rules: a code taken meanwhile fails the commit with `sessionChanged`,
    /// so the service evaluates again and draws new codes.
    static func insertCreatedReferrals(_ db: Database, _ commit: SessionCommit, applicationId: Int64) async throws
        -> [Referral]
    {
        var created: [Referral] = []
        for (referral, normalizedCode) in commit.createdReferrals {
            guard let stored = try await insertReferral(db, referral, applicationId: applicationId,
                                                        normalizedCode: normalizedCode)
            else { throw StoreError.sessionChanged }
            created.append(stored)
        }
        return created
    }

    public func referrals(applicationId: Int64, filter: ReferralFilter, page: PageRequest) async throws
        -> (referrals: [Referral], hasMore: Bool)
    {
        let (condition, arguments) = Self.referralCondition(applicationId: applicationId, filter: filter)
        let order = try listingOrder(page.sort, allowed: ["id": "id", "created": "created", "code": "code"],
                                     default: "id")
        return try await read { db in
            let rows = try await db.rows("SELECT * FROM referral WHERE \(condition) \(order) LIMIT ? OFFSET ?",
                                         arguments + [page.pageSize + 1, page.skip])
            return (try rows.prefix(page.pageSize).map(Self.referral(from:)), rows.count > page.pageSize)
        }
    }

    public func referral(id: Int64, applicationId: Int64, campaignId: Int64) async throws -> Referral {
        try await read { db in
            try await Self.referral(db, id: id, applicationId: applicationId, campaignId: campaignId)
        }
    }

    public func updateReferral(id: Int64, applicationId: Int64, campaignId: Int64, changes: ReferralChanges)
        async throws -> Referral
    {
        var sets: [String] = []
        var arguments: SQLArguments = []
        if let friend = changes.friendProfileIntegrationId {
            sets.append("friend_profile_integration_id = ?")
            arguments.append(friend.isEmpty ? nil : friend)
        }
        if let date = changes.startDate { sets.append("start_date = ?"); arguments.append(date) }
        if let date = changes.expiryDate { sets.append("expiry_date = ?"); arguments.append(date) }
        if let limit = changes.usageLimit { sets.append("usage_limit = ?"); arguments.append(limit) }
        if let attributes = changes.attributes {
            sets.append("attributes = ?")
            arguments.append(try StoredJSON.encode(attributes))
        }
        let assignments = sets.joined(separator: ", ")
        let changes = !sets.isEmpty
        let allArguments = arguments + [id, applicationId, campaignId]
        return try await write { db in
            if changes {
                try await db.execute(
                    "UPDATE referral SET \(assignments) WHERE id = ? AND application_id = ? AND campaign_id = ?",
                    allArguments
                )
            }
            return try await Self.referral(db, id: id, applicationId: applicationId, campaignId: campaignId)
        }
    }

    public func deleteReferral(id: Int64, applicationId: Int64, campaignId: Int64) async throws {
        try await write { db in
            let deleted = try await db.changes("""
                DELETE FROM referral WHERE id = ? AND application_id = ? AND campaign_id = ? RETURNING 1
                """, [id, applicationId, campaignId])
            if deleted == 0 { throw StoreError.notFound(entity: "referral") }
        }
    }

    public func referralContext(applicationId: Int64, normalizedCode: String, profileId: String?) async throws
        -> ReferralContext
    {
        try await read { db in
            guard let row = try await db.row("SELECT * FROM referral WHERE application_id = ? AND normalized_code = ?",
                                             [applicationId, normalizedCode])
            else { return ReferralContext(referral: nil) }
            let referral = try Self.referral(from: row)
            var referred = false
            if let friend = profileId {
                referred = try await db.value(Bool.self, """
                    SELECT EXISTS (SELECT 1 FROM referred_friend WHERE campaign_id = ? AND friend_profile_integration_id = ?)
                    """, [referral.campaignId, friend]) ?? false
            }
            let advocate = try await Self.profile(db, applicationId: applicationId,
                                                  integrationId: referral.advocateProfileIntegrationId)
            return ReferralContext(referral: referral, friendAlreadyReferred: referred, advocateExists: advocate != nil)
        }
    }

    public func referredFriends(applicationId: Int64, advocateProfileIntegrationId: String, page: PageRequest)
        async throws -> (friends: [ReferredFriend], hasMore: Bool)
    {
        try await read { db in
            let rows = try await db.rows("""
                SELECT * FROM referred_friend WHERE application_id = ? AND advocate_profile_integration_id = ?
                ORDER BY created DESC, referral_id DESC LIMIT ? OFFSET ?
                """, [applicationId, advocateProfileIntegrationId, page.pageSize + 1, page.skip])
            return (try rows.prefix(page.pageSize).map(Self.referredFriend(from:)), rows.count > page.pageSize)
        }
    }

    static func referredFriend(from row: Row) throws -> ReferredFriend {
        ReferredFriend(campaignId: try row["campaign_id"], referralId: try row["referral_id"], code: try row["code"],
                       sessionId: try row["session_id"],
                       advocateProfileIntegrationId: try row["advocate_profile_integration_id"],
                       friendProfileIntegrationId: try row["friend_profile_integration_id"],
                       created: try row.date("created"))
    }

    // MARK: On the session path (inside the session's write transaction)

    /// The referral guard: one conditional statement takes a use only while the code is under its limit (judged
    /// by the rows it returns), and the friend's row (one per campaign) is inserted only once; either failing
    /// refuses the close (`referralLimitReached`, and the session is re-evaluated). A cancel gives both back.
    static func applyReferralRedemption(_ db: Database, _ change: ReferralRedemption, session: CustomerSession)
        async throws
    {
        let referral = change.referral
        if change.direction > 0 {
            let taken = try await db.changes("""
                UPDATE referral SET usage_counter = usage_counter + 1
                WHERE id = ?1 AND (usage_limit = 0 OR usage_counter + 1 <= usage_limit)
                    AND (?2::bigint IS NULL OR usage_counter + 1 <= ?2)
                RETURNING 1
                """, [referral.referralId, change.maximumUses])
            guard taken == 1 else { throw StoreError.referralLimitReached(referralId: referral.referralId) }
            guard let friend = change.friendProfileIntegrationId else { return }
            let inserted = try await db.changes("""
                INSERT INTO referred_friend (application_id, campaign_id, friend_profile_integration_id, referral_id,
                    code, session_id, advocate_profile_integration_id, created)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, friend_profile_integration_id) DO NOTHING
                RETURNING 1
                """, [session.applicationId, referral.campaignId, friend, referral.referralId, referral.code,
                      session.integrationId, referral.advocateProfileIntegrationId, session.updated])
            guard inserted == 1 else { throw StoreError.referralLimitReached(referralId: referral.referralId) }
        } else {
            try await db.execute("UPDATE referral SET usage_counter = GREATEST(usage_counter - 1, 0) WHERE id = ?",
                                 [referral.referralId])
            guard let friend = change.friendProfileIntegrationId else { return }
            try await db.execute("""
                DELETE FROM referred_friend WHERE campaign_id = ? AND friend_profile_integration_id = ? AND referral_id = ?
                """, [referral.campaignId, friend, referral.referralId])
        }
    }

    private static func referral(_ db: Database, id: Int64, applicationId: Int64, campaignId: Int64) async throws
        -> Referral
    {
        guard let row = try await db.row("SELECT * FROM referral WHERE id = ? AND application_id = ? AND campaign_id = ?",
                                         [id, applicationId, campaignId])
        else { throw StoreError.notFound(entity: "referral") }
        return try referral(from: row)
    }

    private static func referralCondition(applicationId: Int64, filter: ReferralFilter) -> (String, SQLArguments) {
        var conditions = ["application_id = ?"]
        var arguments: SQLArguments = [applicationId]
        if let campaignId = filter.campaignId { conditions.append("campaign_id = ?"); arguments.append(campaignId) }
        if let code = filter.code { conditions.append("strpos(code, ?) > 0"); arguments.append(code) }
        if let advocate = filter.advocate {
            conditions.append("advocate_profile_integration_id = ?")
            arguments.append(advocate)
        }
        if let afterId = filter.afterId { conditions.append("id > ?"); arguments.append(afterId) }
        if let batchId = filter.batchId { conditions.append("batch_id = ?"); arguments.append(batchId) }
        switch filter.validity {
        case .expired?: conditions.append("expiry_date <= ?"); arguments.append(filter.now)
        case .validNow?:
            conditions.append("(start_date IS NULL OR start_date <= ?) AND (expiry_date IS NULL OR expiry_date > ?)")
            arguments += [filter.now, filter.now]
        case .validFuture?: conditions.append("start_date > ?"); arguments.append(filter.now)
        case nil: break
        }
        if let before = filter.createdBefore { conditions.append("created < ?"); arguments.append(before) }
        if let after = filter.createdAfter { conditions.append("created > ?"); arguments.append(after) }
        if let usable = filter.usable {
            let usableCondition = "((usage_limit = 0 OR usage_counter < usage_limit) AND (expiry_date IS NULL OR expiry_date > ?))"
            conditions.append(usable ? usableCondition : "NOT \(usableCondition)")
            arguments.append(Date())
        }
        return (conditions.joined(separator: " AND "), arguments)
    }

    static func referral(from row: Row) throws -> Referral {
        var referral = Referral(
            id: try row["id"], campaignId: try row["campaign_id"], code: try row["code"],
            advocateProfileIntegrationId: try row["advocate_profile_integration_id"],
            friendProfileIntegrationId: try row["friend_profile_integration_id"], usageLimit: try row["usage_limit"],
            usageCounter: try row["usage_counter"], created: try row.date("created")
        )
        referral.startDate = try row.optionalDate("start_date")
        referral.expiryDate = try row.optionalDate("expiry_date")
        referral.batchId = try row["batch_id"]
        referral.importId = try row["import_id"]
        let attributes: String = try row["attributes"]
        referral.attributes = attributes == "{}" ? nil
            : try StoredJSON.decode([String: JSONValue].self, from: attributes)
        return referral
    }
}
