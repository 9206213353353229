import Foundation
import GRDB
import PromotionEngine
import Storage

/// The JSON stored in `coupon.details`: what no query filters on.
private struct CouponDetails: Codable {
    var attributes: [String: JSONValue]?
    var limits: [LimitConfig]?
    var reservationLimit: Int?
}

extension SQLiteStore: CouponStore {
    public func insertCoupons(_ coupons: [Coupon], applicationId: Int64, normalizedValues: [String]) async throws
        -> [Coupon]
    {
        let details = try coupons.map {
            try Self.encodeJSON(CouponDetails(attributes: $0.attributes, limits: $0.limits, reservationLimit: $0.reservationLimit))
        }
        return try await pool.write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO coupon (application_id, campaign_id, value, normalized_value, usage_limit,
                    discount_limit, start_date, expiry_date, recipient_integration_id, batch_id, details, created)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var inserted: [Coupon] = []
            for (index, coupon) in coupons.enumerated() {
                try statement.execute(arguments: [
                    applicationId, coupon.campaignId, coupon.value, normalizedValues[index], coupon.usageLimit,
                    coupon.discountLimit.map { "\($0)" }, coupon.startDate, coupon.expiryDate,
                    coupon.recipientIntegrationId, coupon.batchId, details[index], coupon.created,
                ])
                guard db.changesCount == 1 else { continue }  // the code exists in this application already
                var stored = coupon
                stored.id = db.lastInsertedRowID
                inserted.append(stored)
            }
            return inserted
        }
    }

    public func coupons(campaignId: Int64, applicationId: Int64, value: String?, page: PageRequest) async throws
        -> (coupons: [Coupon], hasMore: Bool)
    {
        var sql = "SELECT * FROM coupon WHERE campaign_id = ? AND application_id = ?"
        var arguments: StatementArguments = [campaignId, applicationId]
        if let value {
            sql += " AND instr(value, ?) > 0"
            arguments += [value]
        }
        sql += " ORDER BY id LIMIT ? OFFSET ?"
        arguments += [page.pageSize + 1, page.skip]
        let finalArguments = arguments
        let query = sql
        return try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: query, arguments: finalArguments)
            return (try rows.prefix(page.pageSize).map(Self.coupon(from:)), rows.count > page.pageSize)
        }
    }

    public func deleteCoupon(id: Int64, campaignId: Int64, applicationId: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM coupon WHERE id = ? AND campaign_id = ? AND application_id = ?",
                           arguments: [id, campaignId, applicationId])
            if db.changesCount == 0 { throw StoreError.notFound(entity: "coupon") }
        }
    }

    // MARK: On the session path (inside the session's read and write transactions)

    /// The coupons a session names, by the unique index on the normalized code: never a scan.
    static func coupons(_ db: Database, applicationId: Int64, normalizedValues: [String]) throws -> [Coupon] {
        guard !normalizedValues.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: normalizedValues.count).joined(separator: ",")
        var arguments: StatementArguments = [applicationId]
        arguments += StatementArguments(normalizedValues)
        return try Row.fetchAll(
            db, sql: "SELECT * FROM coupon WHERE application_id = ? AND normalized_value IN (\(placeholders))",
            arguments: arguments
        ).map(coupon(from:))
    }

    /// Takes one use of the coupon, only while it is under its limit; false when the limit is reached.
    static func redeemCoupon(_ db: Database, id: Int64) throws -> Bool {
        try db.execute(
            sql: "UPDATE coupon SET usage_counter = usage_counter + 1 WHERE id = ? AND (usage_limit = 0 OR usage_counter < usage_limit)",
            arguments: [id]
        )
        return db.changesCount == 1
    }

    /// Gives one use back (a cancelled or reopened session).
    static func returnCoupon(_ db: Database, id: Int64) throws {
        try db.execute(sql: "UPDATE coupon SET usage_counter = max(usage_counter - 1, 0) WHERE id = ?", arguments: [id])
    }

    static func coupon(from row: Row) throws -> Coupon {
        let details = try decodeJSON(CouponDetails.self, from: row["details"])
        var coupon = Coupon(id: row["id"], campaignId: row["campaign_id"], value: row["value"],
                            usageLimit: row["usage_limit"], usageCounter: row["usage_counter"],
                            created: row.date("created"))
        coupon.discountLimit = (row["discount_limit"] as String?).flatMap { Decimal(string: $0) }
        coupon.discountCounter = Decimal(string: row["discount_counter"]) ?? 0
        coupon.startDate = row.optionalDate("start_date")
        coupon.expiryDate = row.optionalDate("expiry_date")
        coupon.recipientIntegrationId = row["recipient_integration_id"]
        coupon.batchId = row["batch_id"]
        coupon.attributes = details.attributes
        coupon.limits = details.limits
        coupon.reservationLimit = details.reservationLimit
        return coupon
    }
}
