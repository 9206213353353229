import Foundation
import PromotionEngine
import Storage

extension PostgresStore: CouponStore {
    public func insertCoupons(_ coupons: [Coupon], applicationId: Int64, normalizedValues: [String],
                              skipExisting: Bool) async throws -> [Coupon]
    {
        let details = try coupons.map { try StoredJSON.encode(CouponDetails($0)) }
        return try await write { db in
            var inserted: [Coupon] = []
            for start in stride(from: 0, to: coupons.count, by: Self.couponsPerInsert) {
                let batch = start..<min(start + Self.couponsPerInsert, coupons.count)
                inserted += try await Self.insertCouponBatch(db, coupons, batch, applicationId: applicationId,
                                                             normalizedValues: normalizedValues, details: details,
                                                             skipExisting: skipExisting)
            }
            return inserted
        }
    }

    /// Rows per `INSERT` of a coupon batch (12 parameters each, well under PostgreSQL's 65,535).
    static let couponsPerInsert = 1000

    /// One multi-row insert; a code the application has already (or an earlier row of the batch) is skipped by
    /// `ON CONFLICT`, which also waits for a concurrent insert of the same code instead of failing.
    private static func insertCouponBatch(
        _ db: Database, _ coupons: [Coupon], _ batch: Range<Int>, applicationId: Int64, normalizedValues: [String],
        details: [String], skipExisting: Bool
    ) async throws -> [Coupon] {
        var arguments: SQLArguments = []
        arguments.reserveCapacity(batch.count * 12)
        for index in batch {
            let coupon = coupons[index]
            arguments += [applicationId, coupon.campaignId, coupon.value, normalizedValues[index], coupon.usageLimit,
                          coupon.discountLimit.map { "\($0)" }, coupon.startDate, coupon.expiryDate,
                          coupon.recipientIntegrationId, coupon.batchId, details[index], coupon.created]
        }
        let row = "(?, ?, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz, ?, ?, ?, ?)"
        let rows = try await db.rows("""
            INSERT INTO coupon (application_id, campaign_id, value, normalized_value, usage_limit, discount_limit,
                start_date, expiry_date, recipient_integration_id, batch_id, details, created)
            VALUES \(Array(repeating: row, count: batch.count).joined(separator: ", "))
            ON CONFLICT (application_id, normalized_value) DO NOTHING RETURNING id, normalized_value
            """, arguments)
        if rows.count < batch.count, !skipExisting {
            let taken = try Set(rows.map { try $0["normalized_value"] as String })
            let first = batch.first { !taken.contains(normalizedValues[$0]) } ?? batch.lowerBound
            throw StoreError.conflict("coupon code \(coupons[first].value) exists already; nothing was imported")
        }
        // Each returned row belongs to the first row of the batch with its code (later ones were duplicates).
        var positions: [String: Int] = [:]
        for index in batch.reversed() { positions[normalizedValues[index]] = index }
        return try rows.compactMap { row -> Coupon? in
            guard let index = positions[try row["normalized_value"] as String] else { return nil }
            var stored = coupons[index]
            stored.id = try row["id"]
            return stored
        }.sorted { $0.id < $1.id }
    }

    public func coupons(applicationId: Int64, filter: CouponFilter, page: PageRequest) async throws
        -> (coupons: [Coupon], hasMore: Bool)
    {
        let (condition, arguments) = Self.couponCondition(applicationId: applicationId, filter: filter, couponId: nil)
        let order = try listingOrder(page.sort, allowed: ["id": "id", "created": "created", "value": "value"],
                                         default: "id")
        let listArguments = arguments + [page.pageSize + 1, page.skip]
        return try await read { db in
            let rows = try await db.rows("SELECT * FROM coupon WHERE \(condition) \(order) LIMIT ? OFFSET ?",
                                         listArguments)
            return (try rows.prefix(page.pageSize).map(Self.coupon(from:)), rows.count > page.pageSize)
        }
    }

    public func coupon(id: Int64, applicationId: Int64, filter: CouponFilter) async throws -> Coupon {
        let (condition, arguments) = Self.couponCondition(applicationId: applicationId, filter: filter, couponId: id)
        return try await read { db in
            guard let row = try await db.row("SELECT * FROM coupon WHERE \(condition)", arguments) else {
                throw StoreError.notFound(entity: "coupon")
            }
            return try Self.coupon(from: row)
        }
    }

    public func countCoupons(applicationId: Int64, filter: CouponFilter) async throws -> Int {
        let (condition, arguments) = Self.couponCondition(applicationId: applicationId, filter: filter, couponId: nil)
        return try await read { db in
            try await db.value(Int.self, "SELECT COUNT(*) FROM coupon WHERE \(condition)", arguments) ?? 0
        }
    }

    public func updateCoupons(applicationId: Int64, filter: CouponFilter, couponId: Int64?, changes: CouponChanges)
        async throws -> Int
    {
        var sets: [String] = []
        var arguments: SQLArguments = []
        if let limit = changes.usageLimit { sets.append("usage_limit = ?"); arguments.append(limit) }
        if let limit = changes.discountLimit { sets.append("discount_limit = ?"); arguments.append("\(limit)") }
        if let date = changes.startDate { sets.append("start_date = ?"); arguments.append(date) }
        if let date = changes.expiryDate { sets.append("expiry_date = ?"); arguments.append(date) }
        if let recipient = changes.recipientIntegrationId {
            sets.append("recipient_integration_id = ?")
            arguments.append(recipient.isEmpty ? nil : recipient)
        }
        let details = try changes.detailChanges()
        if !details.isEmpty {
            // One assignment of `details`, nesting a `jsonb_set` per changed key (placeholders in key order).
            let expression = details.reduce("details::jsonb") { inner, change in "jsonb_set(\(inner), '{\(change.key)}', ?::jsonb)" }
            sets.append("details = \(expression)::text")
            for change in details { arguments.append(change.json) }
        }
        guard !sets.isEmpty else { return try await countCoupons(applicationId: applicationId, filter: filter) }
        // The condition's placeholders follow the SET's.
        let (condition, conditionArguments) = Self.couponCondition(
            applicationId: applicationId, filter: filter, couponId: couponId
        )
        let sql = "UPDATE coupon SET \(sets.joined(separator: ", ")) WHERE \(condition) RETURNING 1"
        let allArguments = arguments + conditionArguments
        return try await write { db in
            let changed = try await db.changes(sql, allArguments)
            if couponId != nil, changed == 0 { throw StoreError.notFound(entity: "coupon") }
            return changed
        }
    }

    public func deleteCoupons(applicationId: Int64, filter: CouponFilter, couponId: Int64?) async throws -> Int {
        let (condition, arguments) = Self.couponCondition(applicationId: applicationId, filter: filter,
                                                          couponId: couponId)
        return try await write { db in
            let deleted = try await db.changes("DELETE FROM coupon WHERE \(condition) RETURNING 1", arguments)
            if couponId != nil, deleted == 0 { throw StoreError.notFound(entity: "coupon") }
            return deleted
        }
    }

    private static func couponCondition(applicationId: Int64, filter: CouponFilter, couponId: Int64?)
        -> (String, SQLArguments)
    {
        var conditions = ["application_id = ?"]
        var arguments: SQLArguments = [applicationId]
        if let couponId { conditions.append("id = ?"); arguments.append(couponId) }
        if let campaignId = filter.campaignId { conditions.append("campaign_id = ?"); arguments.append(campaignId) }
        if let value = filter.value {
            conditions.append(filter.exactMatch ? "value = ?" : "strpos(value, ?) > 0")
            arguments.append(value)
        }
        if let batch = filter.batchId { conditions.append("batch_id = ?"); arguments.append(batch) }
        if let afterId = filter.afterId { conditions.append("id > ?"); arguments.append(afterId) }
        if let recipient = filter.recipientIntegrationId {
            conditions.append("recipient_integration_id = ?")
            arguments.append(recipient)
        }
        if let before = filter.createdBefore { conditions.append("created < ?"); arguments.append(before) }
        if let after = filter.createdAfter { conditions.append("created > ?"); arguments.append(after) }
        if let usable = filter.usable {
            let usableCondition =
                "((usage_limit = 0 OR usage_counter < usage_limit) AND (expiry_date IS NULL OR expiry_date > ?))"
            conditions.append(usable ? usableCondition : "NOT \(usableCondition)")
            arguments.append(filter.now)
        }
        return (conditions.joined(separator: " AND "), arguments)
    }

    // MARK: On the session path (inside the session's read and write transactions)

    /// The coupons a session names, by the unique index on the normalized code: never a scan.
    static func coupons(_ db: Database, applicationId: Int64, normalizedValues: [String]) async throws -> [Coupon] {
        guard !normalizedValues.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: normalizedValues.count).joined(separator: ",")
        let arguments: SQLArguments = [applicationId] + normalizedValues.map { $0 }
        return try await db.rows(
            "SELECT * FROM coupon WHERE application_id = ? AND normalized_value IN (\(placeholders))", arguments
        ).map(coupon(from:))
    }

    static func coupon(from row: Row) throws -> Coupon {
        let details = try CouponDetails(stored: try row["details"])
        var coupon = Coupon(id: try row["id"], campaignId: try row["campaign_id"], value: try row["value"],
                            usageLimit: try row["usage_limit"], usageCounter: try row["usage_counter"],
                            created: try row.date("created"))
        coupon.discountLimit = try (row["discount_limit"] as String?).flatMap { Decimal(string: $0) }
        coupon.discountCounter = StoredMoney.decimal(try row["discount_units"])
        coupon.startDate = try row.optionalDate("start_date")
        coupon.expiryDate = try row.optionalDate("expiry_date")
        coupon.recipientIntegrationId = try row["recipient_integration_id"]
        coupon.batchId = try row["batch_id"]
        coupon.reservationCounter = try row["reservation_counter"]
        details.apply(to: &coupon)
        return coupon
    }
}
