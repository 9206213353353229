import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: CouponReservationStore {
    public func reserveCoupon(applicationId: Int64, normalizedValue: String, integrationIds: [String], now: Date)
        async throws -> Coupon
    {
        try await pool.write { db in
            let couponId = try Self.reservedCouponId(db, applicationId: applicationId, normalizedValue: normalizedValue)
            let customers = Array(Set(integrationIds))
            if !customers.isEmpty {
                let rows = Array(repeating: "(?, ?, ?, ?)", count: customers.count).joined(separator: ", ")
                var arguments: StatementArguments = []
                for customer in customers { arguments += [couponId, applicationId, customer, now] }
                try db.execute(sql: """
                    INSERT OR IGNORE INTO coupon_reservation (coupon_id, application_id, integration_id, created)
                    VALUES \(rows)
                    """, arguments: arguments)
                try Self.moveReservationCounter(db, couponId: couponId, by: db.changesCount)
            }
            return try Self.couponRow(db, id: couponId)
        }
    }

    public func releaseCoupon(applicationId: Int64, normalizedValue: String, integrationIds: [String]) async throws {
        try await pool.write { db in
            let couponId = try Self.reservedCouponId(db, applicationId: applicationId, normalizedValue: normalizedValue)
            let customers = Array(Set(integrationIds))
            guard !customers.isEmpty else { return }
            let placeholders = Array(repeating: "?", count: customers.count).joined(separator: ",")
            var arguments: StatementArguments = [couponId]
            arguments += StatementArguments(customers)
            try db.execute(sql: "DELETE FROM coupon_reservation WHERE coupon_id = ? AND integration_id IN (\(placeholders))",
                           arguments: arguments)
            try Self.moveReservationCounter(db, couponId: couponId, by: -db.changesCount)
        }
    }

    public func reservingProfiles(applicationId: Int64, normalizedValue: String, limit: Int) async throws
        -> [CustomerProfile]
    {
        try await pool.read { db in
            let couponId = try Self.reservedCouponId(db, applicationId: applicationId, normalizedValue: normalizedValue)
            return try Row.fetchAll(db, sql: """
                SELECT customer_profile.* FROM coupon_reservation
                JOIN customer_profile ON customer_profile.application_id = coupon_reservation.application_id
                    AND customer_profile.integration_id = coupon_reservation.integration_id
                WHERE coupon_reservation.coupon_id = ?
                ORDER BY customer_profile.integration_id LIMIT ?
                """, arguments: [couponId, limit]).map(Self.profile(from:))
        }
    }

    public func couponsHeld(applicationId: Int64, integrationId: String, limit: Int) async throws -> [Coupon] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM coupon WHERE application_id = ?1 AND (recipient_integration_id = ?2 OR id IN (
                    SELECT coupon_id FROM coupon_reservation WHERE application_id = ?1 AND integration_id = ?2))
                ORDER BY id LIMIT ?3
                """, arguments: [applicationId, integrationId, limit]).map(Self.coupon(from:))
        }
    }

    public func reservationStandings(applicationId: Int64, normalizedValues: [String], integrationId: String)
        async throws -> [String: CouponReservationStanding]
    {
        guard !normalizedValues.isEmpty else { return [:] }
        return try await pool.read { db in
            let placeholders = Array(repeating: "?", count: normalizedValues.count).joined(separator: ",")
            var arguments: StatementArguments = [integrationId, applicationId]
            arguments += StatementArguments(normalizedValues)
            let rows = try Row.fetchAll(db, sql: """
                SELECT coupon.*, EXISTS (SELECT 1 FROM coupon_reservation
                    WHERE coupon_reservation.coupon_id = coupon.id AND coupon_reservation.integration_id = ?) AS held
                FROM coupon WHERE application_id = ? AND normalized_value IN (\(placeholders))
                """, arguments: arguments)
            var standings: [String: CouponReservationStanding] = [:]
            for row in rows {
                let code: String = row["normalized_value"]
                standings[code] = CouponReservationStanding(coupon: try Self.coupon(from: row), held: row["held"])
            }
            return standings
        }
    }

    /// A session commit's new reservations, in coupon order: the row (a customer's reservation taken meanwhile
    /// fails with `sessionChanged`), then one guarded move of the counter (a full coupon fails with
    /// `couponLimitReached`); the caller re-reads and evaluates again either way.
    static func applyCouponReservations(_ db: Database, _ claims: [CouponReservationClaim], applicationId: Int64,
                                        now: Date) throws
    {
        for claim in claims.sorted(by: { ($0.couponId, $0.integrationId) < ($1.couponId, $1.integrationId) }) {
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO coupon_reservation (coupon_id, application_id, integration_id, created)
                VALUES (?, ?, ?, ?)
                """).execute(arguments: [claim.couponId, applicationId, claim.integrationId, now.stored])
            guard db.changesCount == 1 else { throw StoreError.sessionChanged }
            try db.cachedStatement(sql: """
                UPDATE coupon SET reservation_counter = reservation_counter + 1
                WHERE id = ?1 AND (?2 IS NULL OR reservation_counter + 1 <= ?2)
                """).execute(arguments: [claim.couponId, claim.limit])
            guard db.changesCount == 1 else { throw StoreError.couponLimitReached(couponId: claim.couponId) }
        }
    }

    /// Of the given coupons, those the customer holds a reservation of (the session path asks only for coupons
    /// that need one).
    static func reservedCouponIds(_ db: Database, integrationId: String, couponIds: [Int64]) throws -> Set<Int64> {
        guard !couponIds.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: couponIds.count).joined(separator: ",")
        var arguments: StatementArguments = [integrationId]
        arguments += StatementArguments(couponIds)
        return Set(try Int64.fetchAll(db, sql: """
            SELECT coupon_id FROM coupon_reservation WHERE integration_id = ? AND coupon_id IN (\(placeholders))
            """, arguments: arguments))
    }

    private static func reservedCouponId(_ db: Database, applicationId: Int64, normalizedValue: String) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM coupon WHERE application_id = ? AND normalized_value = ?",
                                          arguments: [applicationId, normalizedValue])
        else { throw StoreError.notFound(entity: "coupon") }
        return id
    }

    private static func moveReservationCounter(_ db: Database, couponId: Int64, by change: Int) throws {
        guard change != 0 else { return }
        try db.execute(sql: "UPDATE coupon SET reservation_counter = reservation_counter + ? WHERE id = ?",
                       arguments: [change, couponId])
    }

    private static func couponRow(_ db: Database, id: Int64) throws -> Coupon {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM coupon WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound(entity: "coupon")
        }
        return try coupon(from: row)
    }
}
