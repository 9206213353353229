import Foundation
import PromotionEngine
import Storage

extension PostgresStore: SessionStore {
    public func sessionSnapshot(
        applicationId: Int64, sessionId: String, profileId: String?, couponCodes: SnapshotCouponCodes,
        countersOf campaignIds: [Int64], periodKeys: [String], answering reads: AnswerReads
    ) async throws -> SessionSnapshot {
        try await read { db in
            let row = try await db.row("SELECT * FROM customer_session WHERE application_id = ? AND integration_id = ?",
                                       [applicationId, sessionId])
            let session = try row.map(Self.session(from:))
            var ledger: CloseLedger?
            if let row, let text = try row["close_ledger"] as String? {
                ledger = try StoredJSON.decode(CloseLedger.self, from: text)
            }
            let profileIntegrationId = profileId ?? session?.profileId
            var profile: CustomerProfile?
            if let profileIntegrationId {
                profile = try await Self.profile(db, applicationId: applicationId, integrationId: profileIntegrationId)
            }
            let coupons = try await Self.coupons(db, applicationId: applicationId, normalizedValues: couponCodes.resolved(for: session))
            var counters: [Int64: CampaignCounters] = [:]
            var profileRedemptions: [Int64: Int] = [:]
            var profilePeriodRedemptions: [Int64: [String: Int]] = [:]
            for campaignId in campaignIds {
                if let row = try await db.row("SELECT * FROM campaign WHERE id = ?", [campaignId]) {
                    let campaign = try Self.campaign(from: row)
                    var campaignCounters = campaign.counters
                    campaignCounters.periods = try await Self.periodCounters(db, campaignId: campaignId, keys: periodKeys)
                    campaignCounters.actionCounters = try await Self.actionCounters(
                        db, campaign: campaign, profileId: profileIntegrationId, periodKeys: periodKeys
                    )
                    counters[campaignId] = campaignCounters
                }
                if let profileIntegrationId {
                    let counts = try await Self.profileCampaignRedemptions(
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
                    snapshot.profileCouponRedemptions[coupon.id] = try await Self.profileCouponRedemptions(
                        db, applicationId: applicationId, profileId: profileIntegrationId, couponId: coupon.id
                    )
                }
                snapshot.reservedCouponIds = try await Self.reservedCouponIds(
                    db, integrationId: profileIntegrationId, couponIds: coupons.filter(\.isReservationMandatory).map(\.id)
                )
            }
            snapshot.answer = try await Self.answer(db, reads, applicationId: applicationId, session: session,
                                                    profileId: profileIntegrationId, readCoupons: coupons)
            return snapshot
        }
    }

    public func commitSession(_ commit: SessionCommit) async throws -> CommittedSession {
        let body = SessionDocument(commit.session).storedText
        let effects = JSONText.effects(commit.effects)
        let ledger: String?? = switch commit.closeLedger {
        case .keep: nil
        case .set(let value): .some(try StoredJSON.encode(value))
        case .clear: .some(nil)
        }
        let eventEffects = commit.event.effects == commit.effects ? effects : JSONText.effects(commit.event.effects)
        let eventAttributes = StoredAttributes.text(commit.event.attributes)
        return try await write { db in
            var session = commit.session
            // The session row first: its update (or insert) locks it, so commits of one session serialise on every
            // node; then the rows in the fixed order of `PostgresStore+Guards`.
            session.id = try await Self.writeSession(
                db, session, expectedUpdateCount: commit.expectedUpdateCount, body: body, effects: effects,
                ledger: ledger
            )
            for couponId in commit.redeemCouponIds.sorted() {
                guard try await Self.redeemCoupon(db, id: couponId) else {
                    throw StoreError.couponLimitReached(couponId: couponId)
                }
            }
            for couponId in commit.returnCouponIds.sorted() { try await Self.returnCoupon(db, id: couponId) }
            for (couponId, delta) in commit.couponDiscountDeltas.sorted(by: { $0.key < $1.key }) where delta != 0 {
                guard try await Self.addCouponDiscount(db, id: couponId, delta: delta,
                                                       limit: commit.couponDiscountLimits[couponId])
                else { throw StoreError.couponLimitReached(couponId: couponId) }
            }
            // The referral and the audience memberships after every coupon row, before the campaigns (a coupon's
            // discount row comes with the other coupon rows here, so no two commits lock the same rows in
            // opposite orders).
            try await Self.applyCouponReservations(db, commit.couponReservations,
                                                   applicationId: session.applicationId, now: session.updated)
            if let referral = commit.referralRedemption {
                try await Self.applyReferralRedemption(db, referral, session: session)
            }
            let createdReferrals = try await Self.insertCreatedReferrals(db, commit,
                                                                         applicationId: session.applicationId)
            try await Self.applyAudienceChanges(db, commit.audienceChanges, now: session.updated)
            try await Self.insertWebhookDeliveries(db, commit.webhookDeliveries)
            let awarded = try await Self.applyGiveawayClaims(db, commit, session: session)
            let achieved = try await Self.applyAchievements(db, commit, session: session,
                                                            effects: GiveawayAwards.apply(awarded, to: commit.effects))
            let created = try await Self.applyCampaignChanges(
                db, applicationId: session.applicationId, counters: commit.campaignCounters,
                createdCoupons: commit.createdCoupons, creationMaximums: commit.couponCreationMaximums,
                now: session.updated
            )
            if let redemptions = commit.redemptions {
                try await Self.recordRedemptions(db, redemptions, session: session)
                if let profileId = redemptions.profileId {
                    try await Self.applyProfileRedemptions(
                        db, redemptions, profileId: profileId, applicationId: session.applicationId,
                        campaignCounters: commit.campaignCounters, couponMaximums: commit.couponProfileMaximums
                    )
                }
            }
            var profile: CustomerProfile?
            if let change = commit.profile {
                profile = try await Self.applyProfileChange(db, change, applicationId: session.applicationId)
            }
            // The ledger after the profile, as on SQLite: balance rows, then their lots.
            var expiryChanges: [[LoyaltyExpiryDateChange]] = []
            if let loyalty = commit.loyalty {
                do {
                    expiryChanges = try await Self.applyLoyalty(db, loyalty, applicationId: session.applicationId,
                                                         sessionId: session.integrationId, now: session.updated)
                } catch is LoyaltyBalanceTooLow {
                    throw StoreError.sessionChanged  // Spent meanwhile: re-read the balance and evaluate again.
                }
            }
            var event = commit.event
            event.effects = LoyaltyExpiryDates.apply(
                expiryChanges, to: achieved.apply(to: GiveawayAwards.apply(awarded, to: event.effects))
            )
            event.id = try await Self.insertEvent(
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
                try await db.execute("UPDATE customer_session SET effects = ? WHERE id = ?",
                                     [JSONText.effects(committed.effects ?? commit.effects), session.id])
            }
            committed.answer = try await Self.answer(db, commit.answerReads, applicationId: session.applicationId,
                                                     session: session)
            if let stored = committed.answer.profile { committed.profile = stored }
            if committed.effects == nil { committed.effectsText = effects }
            return committed
        }
    }

    public func session(applicationId: Int64, sessionId: String) async throws -> (CustomerSession, [Effect])? {
        try await read { db in
            guard let row = try await db.row(
                "SELECT * FROM customer_session WHERE application_id = ? AND integration_id = ?",
                [applicationId, sessionId]
            ) else { return nil }
            return (try Self.session(from: row), try StoredJSON.decode([Effect].self, from: try row["effects"]))
        }
    }

    public func profile(applicationId: Int64, integrationId: String) async throws -> CustomerProfile? {
        try await read { db in
            try await Self.profile(db, applicationId: applicationId, integrationId: integrationId)
        }
    }

    public func profileRedemptions(applicationId: Int64, profileId: String, couponIds: [Int64]) async throws
        -> [Int64: Int]
    {
        try await read { db in
            var counts: [Int64: Int] = [:]
            for couponId in couponIds {
                counts[couponId] = try await Self.profileCouponRedemptions(
                    db, applicationId: applicationId, profileId: profileId, couponId: couponId
                )
            }
            return counts
        }
    }

    /// Inserts or updates the session row, checking that nobody else updated it since the snapshot. A concurrent
    /// commit of the same session waits for this one's row lock, then finds another `update_count` (or, creating
    /// it, the unique key taken: SQLSTATE 23505) and fails with `sessionChanged`.
    private static func writeSession(
        _ db: Database, _ session: CustomerSession, expectedUpdateCount: Int?, body: String, effects: String,
        ledger: String??
    ) async throws -> Int64 {
        guard let expected = expectedUpdateCount else {
            return try await mappingUniqueViolation(to: .sessionChanged) {
                try await db.value(Int64.self, """
                    INSERT INTO customer_session (application_id, integration_id, profile_integration_id, state,
                        update_count, body, effects, close_ledger, created, updated)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                    """, [session.applicationId, session.integrationId, session.profileId, session.state.rawValue,
                          session.updateCount, body, effects, ledger ?? nil, session.created, session.updated]) ?? 0
            }
        }
        var sql = """
            UPDATE customer_session SET profile_integration_id = ?, state = ?, update_count = ?, body = ?,
                effects = ?, updated = ?
            """
        var arguments: SQLArguments = [session.profileId, session.state.rawValue, session.updateCount, body, effects,
                                       session.updated]
        if let ledger {
            sql += ", close_ledger = ?"
            arguments.append(ledger)
        }
        sql += " WHERE application_id = ? AND integration_id = ? AND update_count = ? RETURNING id"
        arguments += [session.applicationId, session.integrationId, expected]
        guard let id = try await db.value(Int64.self, sql, arguments) else { throw StoreError.sessionChanged }
        return id
    }

    /// One upsert that creates the profile when missing (`ON CONFLICT`: a concurrent creation on another node waits
    /// and then updates) and returns its row locked, so the exact-decimal sales total and the attributes read with
    /// it cannot change before this commit writes them back.
    /// Creates or locks the profile's row, adding the counters' deltas in the same statement (exact NUMERIC
    /// arithmetic on the stored text), and returns the row as it now is.
    static func lockProfile(_ db: Database, applicationId: Int64, integrationId: String, closedSessionsDelta: Int,
                            totalSalesDelta: Decimal = 0, now: Date) async throws -> CustomerProfile
    {
        guard let row = try await db.row("""
            INSERT INTO customer_profile AS p (application_id, account_id, integration_id, attributes,
                closed_sessions, total_sales, created, last_activity)
            VALUES (?1, COALESCE((SELECT account_id FROM application WHERE id = ?1), 1), ?2, '{}', ?3, ?5, ?4, ?4)
            ON CONFLICT (application_id, integration_id) DO UPDATE
            SET closed_sessions = p.closed_sessions + ?3, last_activity = ?4,
                total_sales = CASE WHEN ?5::numeric = 0 THEN p.total_sales
                                   ELSE (p.total_sales::numeric + ?5::numeric)::text END
            RETURNING *
            """, [applicationId, integrationId, closedSessionsDelta, now, "\(totalSalesDelta)"])
        else { throw StoreError.notFound(entity: "customer profile") }
        return try profile(from: row)
    }

    private static func applyProfileChange(_ db: Database, _ change: ProfileChange, applicationId: Int64) async throws
        -> CustomerProfile
    {
        var profile = try await lockProfile(db, applicationId: applicationId, integrationId: change.integrationId,
                                            closedSessionsDelta: change.closedSessionsDelta,
                                            totalSalesDelta: change.totalSalesDelta, now: change.now)
        if !change.attributeUpdates.isEmpty {
            profile.attributes.merge(change.attributeUpdates) { _, new in new }
            try await db.execute("UPDATE customer_profile SET attributes = ? WHERE id = ?",
                                 [StoredAttributes.text(profile.attributes), profile.id])
        }
        return profile
    }

    static func profile(_ db: Database, applicationId: Int64, integrationId: String) async throws -> CustomerProfile? {
        try await db.row("SELECT * FROM customer_profile WHERE application_id = ? AND integration_id = ?",
                         [applicationId, integrationId]).map(profile(from:))
    }

    static func profile(from row: Row) throws -> CustomerProfile {
        CustomerProfile(
            id: try row["id"], integrationId: try row["integration_id"], accountId: try row["account_id"],
            applicationId: try row["application_id"],
            attributes: try StoredAttributes.read(try row["attributes"]),
            closedSessions: try row["closed_sessions"], totalSales: DecimalText.read(try row["total_sales"]) ?? 0,
            created: try row.date("created"), lastActivity: try row.date("last_activity")
        )
    }

    static func session(from row: Row) throws -> CustomerSession {
        try SessionDocument(storedText: try row["body"]).session(
            id: try row["id"], integrationId: try row["integration_id"], applicationId: try row["application_id"],
            state: try row["state"], updateCount: try row["update_count"], created: try row.date("created"),
            updated: try row.date("updated")
        )
    }
}
