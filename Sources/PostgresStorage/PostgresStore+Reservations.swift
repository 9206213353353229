import Foundation
import PromotionEngine
import Storage

extension PostgresStore: CouponReservationStore {
    public func reserveCoupon(applicationId: Int64, normalizedValue: String, integrationIds: [String], now: Date)
        async throws -> Coupon
    {
        try await write { db in
            let couponId = try await Self.lockReservedCoupon(db, applicationId: applicationId,
                                                             normalizedValue: normalizedValue)
            let customers = Array(Set(integrationIds))
            if !customers.isEmpty {
                let rows = Array(repeating: "(?, ?, ?, ?)", count: customers.count).joined(separator: ", ")
                var arguments: SQLArguments = []
                for customer in customers { arguments += [couponId, applicationId, customer, now] }
                let added = try await db.changes("""
                    INSERT INTO coupon_reservation (coupon_id, application_id, integration_id, created)
                    VALUES \(rows) ON CONFLICT DO NOTHING RETURNING 1
                    """, arguments)
                try await Self.moveReservationCounter(db, couponId: couponId, by: added)
            }
            guard let row = try await db.row("SELECT * FROM coupon WHERE id = ?", [couponId]) else {
                throw StoreError.notFound(entity: "coupon")
            }
            return try Self.coupon(from: row)
        }
    }

    public func releaseCoupon(applicationId: Int64, normalizedValue: String, integrationIds: [String]) async throws {
        try await write { db in
            let couponId = try await Self.lockReservedCoupon(db, applicationId: applicationId,
                                                             normalizedValue: normalizedValue)
            let customers = Array(Set(integrationIds))
            guard !customers.isEmpty else { return }
            let placeholders = Array(repeating: "?", count: customers.count).joined(separator: ",")
            var arguments: SQLArguments = [couponId]
            arguments += customers.map { $0 as (any SQLBindable)? }
            let removed = try await db.changes("""
                DELETE FROM coupon_reservation WHERE coupon_id = ? AND integration_id IN (\(placeholders)) RETURNING 1
                """, arguments)
            try await Self.moveReservationCounter(db, couponId: couponId, by: -removed)
        }
    }

    public func reservingProfiles(applicationId: Int64, normalizedValue: String, limit: Int) async throws
        -> [CustomerProfile]
    {
        try await read { db in
            guard let couponId = try await db.value(
                Int64.self, "SELECT id FROM coupon WHERE application_id = ? AND normalized_value = ?",
                [applicationId, normalizedValue]
            ) else { throw StoreError.notFound(entity: "coupon") }
            return try await db.rows("""
                SELECT customer_profile.* FROM coupon_reservation
                JOIN customer_profile ON customer_profile.application_id = coupon_reservation.application_id
                    AND customer_profile.integration_id = coupon_reservation.integration_id
                WHERE coupon_reservation.coupon_id = ?
                ORDER BY customer_profile.integration_id COLLATE "C" LIMIT ?
                """, [couponId, limit]).map(Self.profile(from:))
        }
    }

    public func couponsHeld(applicationId: Int64, integrationId: String, limit: Int) async throws -> [Coupon] {
        try await read { db in
            try await db.rows("""
                SELECT * FROM coupon WHERE application_id = ?1 AND (recipient_integration_id = ?2 OR id IN (
                    SELECT coupon_id FROM coupon_reservation WHERE application_id = ?1 AND integration_id = ?2))
                ORDER BY id LIMIT ?3
                """, [applicationId, integrationId, limit]).map(Self.coupon(from:))
        }
    }

    public func reservationStandings(applicationId: Int64, normalizedValues: [String], integrationId: String)
        async throws -> [String: CouponReservationStanding]
    {
        guard !normalizedValues.isEmpty else { return [:] }
        return try await read { db in
            let placeholders = Array(repeating: "?", count: normalizedValues.count).joined(separator: ",")
            var arguments: SQLArguments = [integrationId, applicationId]
            arguments += normalizedValues.map { $0 as (any SQLBindable)? }
            var standings: [String: CouponReservationStanding] = [:]
            for row in try await db.rows("""
                SELECT coupon.*, EXISTS (SELECT 1 FROM coupon_reservation
                    WHERE coupon_reservation.coupon_id = coupon.id AND coupon_reservation.integration_id = ?) AS held
                FROM coupon WHERE application_id = ? AND normalized_value IN (\(placeholders))
                """, arguments) {
                let code: String = try row["normalized_value"]
                standings[code] = CouponReservationStanding(coupon: try Self.coupon(from: row), held: try row["held"])
            }
            return standings
        }
    }

    /// A session commit's new reservations, in coupon order: the row (a customer's reservation taken meanwhile
    /// fails with `sessionChanged`), then one guarded move of the counter judged by `RETURNING` (a full coupon
    /// fails with `couponLimitReached`); the caller re-reads and evaluates again either way.
    static func applyCouponReservations(_ db: Database, _ claims: [CouponReservationClaim], applicationId: Int64,
                                        now: Date) async throws
    {
        for claim in claims.sorted(by: { ($0.couponId, $0.integrationId) < ($1.couponId, $1.integrationId) }) {
            let added = try await db.changes("""
                INSERT INTO coupon_reservation (coupon_id, application_id, integration_id, created)
                VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1
                """, [claim.couponId, applicationId, claim.integrationId, now])
            guard added == 1 else { throw StoreError.sessionChanged }
            let counted = try await db.changes("""
                UPDATE coupon SET reservation_counter = reservation_counter + 1
                WHERE id = ?1 AND (?2::bigint IS NULL OR reservation_counter + 1 <= ?2) RETURNING 1
                """, [claim.couponId, claim.limit])
            guard counted == 1 else { throw StoreError.couponLimitReached(couponId: claim.couponId) }
        }
    }

    /// Of the given coupons, those the customer holds a reservation of (the session path asks only for coupons
    /// that need one).
    static func reservedCouponIds(_ db: Database, integrationId: String, couponIds: [Int64]) async throws -> Set<Int64> {
        guard !couponIds.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: couponIds.count).joined(separator: ",")
        var arguments: SQLArguments = [integrationId]
        arguments += couponIds.map { $0 as (any SQLBindable)? }
        return Set(try await db.values(Int64.self, """
            SELECT coupon_id FROM coupon_reservation WHERE integration_id = ? AND coupon_id IN (\(placeholders))
            """, arguments))
    }

    /// The coupon's id, its row locked so that reservations of one coupon (and their counter) go one at a time.
    private static func lockReservedCoupon(_ db: Database, applicationId: Int64, normalizedValue: String) async throws
        -> Int64
    {
        guard let id = try await db.value(
            Int64.self, "SELECT id FROM coupon WHERE application_id = ? AND normalized_value = ? FOR UPDATE",
            [applicationId, normalizedValue]
        ) else { throw StoreError.notFound(entity: "coupon") }
        return id
    }

    private static func moveReservationCounter(_ db: Database, couponId: Int64, by change: Int) async throws {
        guard change != 0 else { return }
        try await db.execute("UPDATE coupon SET reservation_counter = reservation_counter + ? WHERE id = ?",
                             [change, couponId])
    }
}
