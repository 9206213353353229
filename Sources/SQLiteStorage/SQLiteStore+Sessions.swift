import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: SessionStore {
    public func sessionSnapshot(
        applicationId: Int64, sessionId: String, profileId: String?, couponCodes: SnapshotCouponCodes,
        countersOf campaignIds: [Int64], periodKeys: [String], answering reads: AnswerReads
    ) async throws -> SessionSnapshot {
        try threadReaders.read { db in
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM customer_session WHERE application_id = ? AND integration_id = ?"),
                arguments: [applicationId, sessionId]
            )
            let session = try row.map(Self.session(from:))
            let ledger = try row.flatMap { row -> CloseLedger? in
                guard let text: String = row["close_ledger"] else { return nil }
                return try Self.decodeJSON(CloseLedger.self, from: text)
            }
            let profileIntegrationId = profileId ?? session?.profileId
            let profile = try profileIntegrationId.flatMap {
                try Self.profile(db, applicationId: applicationId, integrationId: $0)
            }
            let coupons = try Self.coupons(db, applicationId: applicationId, normalizedValues: couponCodes.resolved(for: session))
            var counters: [Int64: CampaignCounters] = [:]
            var profileRedemptions: [Int64: Int] = [:]
            var profilePeriodRedemptions: [Int64: [String: Int]] = [:]
            for campaignId in campaignIds {
                if let row = try Row.fetchOne(db, sql: "SELECT * FROM campaign WHERE id = ?", arguments: [campaignId]) {
                    let campaign = try Self.campaign(from: row)
                    var campaignCounters = campaign.counters
                    campaignCounters.periods = try Self.periodCounters(db, campaignId: campaignId, keys: periodKeys)
                    campaignCounters.actionCounters = try Self.actionCounters(
                        db, campaign: campaign, profileId: profileIntegrationId, periodKeys: periodKeys
                    )
                    counters[campaignId] = campaignCounters
                }
                if let profileIntegrationId {
                    let counts = try Self.profileCampaignRedemptions(
                        db, applicationId: applicationId, profileId: profileIntegrationId, campaignId: campaignId
                    )
                    profileRedemptions[campaignId] = counts[""] ?? 0
                    profilePeriodRedemptions[campaignId] = Dictionary(uniqueKeysWithValues: periodKeys.map {
                        ($0, counts[$0] ?? 0)
                    })
                }
            }
            var snapshot = SessionSnapshot(session: session, closeLedger: ledger, profile: profile, coupons: coupons,
                                           campaignCounters: counters, profileRedemptions: profileRedemptions)
            snapshot.profilePeriodRedemptions = profilePeriodRedemptions
            if let profileIntegrationId {
                for coupon in coupons where coupon.maximumRedemptionsPerProfile != nil {
                    snapshot.profileCouponRedemptions[coupon.id] = try Self.profileCouponRedemptions(
                        db, applicationId: applicationId, profileId: profileIntegrationId, couponId: coupon.id
                    )
                }
                snapshot.reservedCouponIds = try Self.reservedCouponIds(
                    db, integrationId: profileIntegrationId, couponIds: coupons.filter(\.isReservationMandatory).map(\.id)
                )
            }
            snapshot.answer = try Self.answer(db, reads, applicationId: applicationId, session: session,
                                              profileId: profileIntegrationId, readCoupons: coupons)
            return snapshot
        }
    }

    public func commitSession(_ commit: SessionCommit) async throws -> CommittedSession {
        let body = SessionDocument(commit.session).storedText
        // Effects are written on every update, twice (session and event, usually the same list): one fast
        // serialisation, reused.
        let effects = JSONText.effects(commit.effects)
        let ledger: String?? = switch commit.closeLedger {
        case .keep: nil
        case .set(let value): .some(try Self.encodeJSON(value))
        case .clear: .some(nil)
        }
        let eventEffects = commit.event.effects == commit.effects ? effects : JSONText.effects(commit.event.effects)
        let eventAttributes = StoredAttributes.text(commit.event.attributes)
        return try await integrationWrites.write { db in
            var session = commit.session
            session.id = try Self.writeSession(
                db, session, expectedUpdateCount: commit.expectedUpdateCount, body: body, effects: effects,
                ledger: ledger
            )
            // Rows in a fixed order (see `SQLiteStore+Guards`), so concurrent commits never wait in a cycle.
            for couponId in commit.redeemCouponIds.sorted() {
                guard try Self.redeemCoupon(db, id: couponId) else {
                    throw StoreError.couponLimitReached(couponId: couponId)
                }
            }
            for couponId in commit.returnCouponIds.sorted() { try Self.returnCoupon(db, id: couponId) }
            try Self.applyCouponReservations(db, commit.couponReservations, applicationId: session.applicationId,
                                             now: session.updated)
            if let referral = commit.referralRedemption {
                try Self.applyReferralRedemption(db, referral, session: session)
            }
            let createdReferrals = try Self.insertCreatedReferrals(db, commit, applicationId: session.applicationId)
            try Self.applyAudienceChanges(db, commit.audienceChanges, now: session.updated)
            try Self.insertWebhookDeliveries(db, commit.webhookDeliveries)
            let awarded = try Self.applyGiveawayClaims(db, commit, session: session)
            let achieved = try Self.applyAchievements(db, commit, session: session,
                                                      effects: GiveawayAwards.apply(awarded, to: commit.effects))
            for (couponId, delta) in commit.couponDiscountDeltas.sorted(by: { $0.key < $1.key }) where delta != 0 {
                guard try Self.addCouponDiscount(db, id: couponId, delta: delta,
                                                 limit: commit.couponDiscountLimits[couponId])
                else { throw StoreError.couponLimitReached(couponId: couponId) }
            }
            let created = try Self.applyCampaignChanges(
                db, applicationId: session.applicationId, counters: commit.campaignCounters,
                createdCoupons: commit.createdCoupons, creationMaximums: commit.couponCreationMaximums,
                now: session.updated
            )
            if let redemptions = commit.redemptions {
                try Self.recordRedemptions(db, redemptions, session: session)
                if let profileId = redemptions.profileId {
                    try Self.applyProfileRedemptions(
                        db, redemptions, profileId: profileId, applicationId: session.applicationId,
                        campaignCounters: commit.campaignCounters, couponMaximums: commit.couponProfileMaximums
                    )
                }
            }
            let profile = try commit.profile.map { change in
                try Self.applyProfileChange(db, change, applicationId: session.applicationId)
            }
            var expiryChanges: [[LoyaltyExpiryDateChange]] = []
            if let loyalty = commit.loyalty {
                do {
                    expiryChanges = try Self.applyLoyalty(db, loyalty, applicationId: session.applicationId,
                                                         sessionId: session.integrationId, now: session.updated)
                } catch is LoyaltyBalanceTooLow {
                    throw StoreError.sessionChanged  // Spent meanwhile: re-read the balance and evaluate again.
                }
            }
            var event = commit.event
            event.effects = LoyaltyExpiryDates.apply(
                expiryChanges, to: achieved.apply(to: GiveawayAwards.apply(awarded, to: event.effects))
            )
            event.id = try Self.insertEvent(
                db, event, attributes: eventAttributes,
                effects: awarded.isEmpty && achieved.isEmpty && expiryChanges.isEmpty
                    ? eventEffects : JSONText.effects(event.effects)
            )
            var committed = CommittedSession(session: session, profile: profile, event: event)
            committed.createdCoupons = created
            committed.createdReferrals = createdReferrals
            committed.recordAwards(awarded, of: commit)
            committed.recordAchievements(achieved, of: commit)
            if !expiryChanges.isEmpty {
                committed.recordLoyaltyExpiry(expiryChanges, of: commit)
                try db.execute(sql: "UPDATE customer_session SET effects = ? WHERE id = ?",
                               arguments: [JSONText.effects(committed.effects ?? commit.effects), session.id])
            }
            committed.answer = try Self.answer(db, commit.answerReads, applicationId: session.applicationId,
                                               session: session)
            if let stored = committed.answer.profile { committed.profile = stored }
            if committed.effects == nil { committed.effectsText = effects }
            return committed
        }
    }

    public func session(applicationId: Int64, sessionId: String) async throws -> (CustomerSession, [Effect])? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT * FROM customer_session WHERE application_id = ? AND integration_id = ?",
                arguments: [applicationId, sessionId]
            ) else { return nil }
            return (try Self.session(from: row), try Self.decodeJSON([Effect].self, from: row["effects"]))
        }
    }

    public func profile(applicationId: Int64, integrationId: String) async throws -> CustomerProfile? {
        try threadReaders.read { db in try Self.profile(db, applicationId: applicationId, integrationId: integrationId) }
    }

    public func profileRedemptions(applicationId: Int64, profileId: String, couponIds: [Int64]) async throws
        -> [Int64: Int]
    {
        try await pool.read { db in
            var counts: [Int64: Int] = [:]
            for couponId in couponIds {
                counts[couponId] = try Self.profileCouponRedemptions(db, applicationId: applicationId,
                                                                     profileId: profileId, couponId: couponId)
            }
            return counts
        }
    }

    /// Inserts or updates the session row, checking that nobody else updated it since the snapshot.
    private static func writeSession(
        _ db: Database, _ session: CustomerSession, expectedUpdateCount: Int?, body: String, effects: String,
        ledger: String??
    ) throws -> Int64 {
        guard let expected = expectedUpdateCount else {
            do {
                try db.cachedStatement(sql: """
                        INSERT INTO customer_session (application_id, integration_id, profile_integration_id, state,
                            update_count, body, effects, close_ledger, created, updated)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """).execute(
                    arguments: [session.applicationId, session.integrationId, session.profileId, session.state.rawValue,
                                session.updateCount, body, effects, ledger ?? nil, session.created.storedText,
                                session.updated.storedText]
                )
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                throw StoreError.sessionChanged
            }
            return db.lastInsertedRowID
        }
        var sql = """
            UPDATE customer_session SET profile_integration_id = ?, state = ?, update_count = ?, body = ?,
                effects = ?, updated = ?
            """
        var arguments: StatementArguments = [session.profileId, session.state.rawValue, session.updateCount, body,
                                             effects, session.updated.storedText]
        if let ledger {
            sql += ", close_ledger = ?"
            arguments += [ledger]
        }
        sql += " WHERE application_id = ? AND integration_id = ? AND update_count = ?"
        arguments += [session.applicationId, session.integrationId, expected]
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
        guard db.changesCount == 1 else { throw StoreError.sessionChanged }
        return try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM customer_session WHERE application_id = ? AND integration_id = ?"),
            arguments: [session.applicationId, session.integrationId]
        ) ?? 0
    }

    /// One upsert creates the profile or moves its counters (the sales total added exactly by `sconto_decimal_sum`,
    /// see ``SQLiteStore/registerFunctions(_:)``) and returns only what the commit needs: the whole row, attributes
    /// decoded, only when the snapshot did not read the profile or rules change its attributes (merged here).
    private static func applyProfileChange(_ db: Database, _ change: ProfileChange, applicationId: Int64) throws
        -> CustomerProfile
    {
        let asRead = change.attributeUpdates.isEmpty ? change.asRead : nil
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: asRead == nil ? ProfileUpsert.returningRow : ProfileUpsert.returningCounters),
            arguments: [applicationId, change.integrationId, change.closedSessionsDelta, change.now.stored,
                        "\(change.totalSalesDelta)"]
        ) else { throw StoreError.notFound(entity: "customer profile") }
        guard var profile = asRead else {
            var profile = try Self.profile(from: row)
            try updateAttributes(db, of: &profile, with: change.attributeUpdates)
            return profile
        }
        profile.id = row[0]
        profile.closedSessions = row[1]
        profile.totalSales = Decimal(string: row[2]) ?? 0
        profile.lastActivity = change.now
        return profile
    }

    /// The upsert of ``applyProfileChange(_:_:applicationId:)``. Arguments: application, integration id, closed
    /// sessions delta, now, sales delta (decimal text).
    enum ProfileUpsert {
        static let returningRow = statement + " RETURNING *"
        static let returningCounters = statement + " RETURNING id, closed_sessions, total_sales"
        private static let statement = """
            INSERT INTO customer_profile (application_id, account_id, integration_id, attributes, closed_sessions,
                total_sales, created, last_activity)
            VALUES (?1, COALESCE((SELECT account_id FROM application WHERE id = ?1), 1), ?2, '{}', ?3, ?5, ?4, ?4)
            ON CONFLICT (application_id, integration_id) DO UPDATE
            SET closed_sessions = closed_sessions + ?3, last_activity = ?4,
                total_sales = CASE WHEN ?5 = '0' THEN total_sales ELSE sconto_decimal_sum(total_sales, ?5) END
            """
    }

    private static func updateAttributes(_ db: Database, of profile: inout CustomerProfile,
                                         with updates: [String: JSONValue]) throws {
        guard !updates.isEmpty else { return }
        profile.attributes.merge(updates) { _, new in new }
        try db.cachedStatement(sql: "UPDATE customer_profile SET attributes = ? WHERE id = ?")
            .execute(arguments: [StoredAttributes.text(profile.attributes), profile.id])
    }

    static func profile(_ db: Database, applicationId: Int64, integrationId: String) throws -> CustomerProfile? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM customer_profile WHERE application_id = ? AND integration_id = ?"),
            arguments: [applicationId, integrationId]
        ).map(profile(from:))
    }

    static func profile(from row: Row) throws -> CustomerProfile {
        CustomerProfile(
            id: row["id"], integrationId: row["integration_id"], accountId: row["account_id"],
            applicationId: row["application_id"],
            attributes: try StoredAttributes.read(row["attributes"]),
            closedSessions: row["closed_sessions"], totalSales: DecimalText.read(row["total_sales"]) ?? 0,
            created: row.date("created"), lastActivity: row.date("last_activity")
        )
    }

    static func session(from row: Row) throws -> CustomerSession {
        try SessionDocument(storedText: row["body"]).session(
            id: row["id"], integrationId: row["integration_id"], applicationId: row["application_id"],
            state: row["state"], updateCount: row["update_count"], created: row.date("created"),
            updated: row.date("updated")
        )
    }
}
