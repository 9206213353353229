import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: CouponStore {
    public func insertCoupons(_ coupons: [Coupon], applicationId: Int64, normalizedValues: [String],
                              skipExisting: Bool) async throws -> [Coupon]
    {
        let details = try coupons.map { try Self.encodeJSON(CouponDetails($0)) }
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
                guard db.changesCount == 1 else {  // the code exists in this application already
                    if skipExisting { continue }
                    throw StoreError.conflict("coupon code \(coupon.value) exists already; nothing was imported")
                }
                var stored = coupon
                stored.id = db.lastInsertedRowID
                inserted.append(stored)
            }
            return inserted
        }
    }

    public func coupons(applicationId: Int64, filter: CouponFilter, page: PageRequest) async throws
        -> (coupons: [Coupon], hasMore: Bool)
    {
        let (condition, arguments) = Self.couponCondition(applicationId: applicationId, filter: filter, couponId: nil)
        let order = try Self.orderClause(page.sort, allowed: ["id": "id", "created": "created", "value": "value"],
                                         default: "id")
        let listArguments = arguments + [page.pageSize + 1, page.skip]
        return try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM coupon WHERE \(condition) \(order) LIMIT ? OFFSET ?",
                                        arguments: listArguments)
            return (try rows.prefix(page.pageSize).map(Self.coupon(from:)), rows.count > page.pageSize)
        }
    }

    public func coupon(id: Int64, applicationId: Int64, filter: CouponFilter) async throws -> Coupon {
        let (condition, arguments) = Self.couponCondition(applicationId: applicationId, filter: filter, couponId: id)
        return try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM coupon WHERE \(condition)", arguments: arguments) else {
                throw StoreError.notFound(entity: "coupon")
            }
            return try Self.coupon(from: row)
        }
    }

    public func countCoupons(applicationId: Int64, filter: CouponFilter) async throws -> Int {
        let (condition, arguments) = Self.couponCondition(applicationId: applicationId, filter: filter, couponId: nil)
        return try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM coupon WHERE \(condition)", arguments: arguments) ?? 0
        }
    }

    public func updateCoupons(applicationId: Int64, filter: CouponFilter, couponId: Int64?, changes: CouponChanges)
        async throws -> Int
    {
        let (condition, conditionArguments) = Self.couponCondition(
            applicationId: applicationId, filter: filter, couponId: couponId
        )
        var sets: [String] = []
        var arguments = StatementArguments()
        if let limit = changes.usageLimit { sets.append("usage_limit = ?"); arguments += [limit] }
        if let limit = changes.discountLimit { sets.append("discount_limit = ?"); arguments += ["\(limit)"] }
        if let date = changes.startDate { sets.append("start_date = ?"); arguments += [date] }
        if let date = changes.expiryDate { sets.append("expiry_date = ?"); arguments += [date] }
        if let recipient = changes.recipientIntegrationId {
            sets.append("recipient_integration_id = ?")
            arguments += [recipient.isEmpty ? nil : recipient]
        }
        let details = try changes.detailChanges()
        if !details.isEmpty {
            // One assignment of `details` setting every changed key.
            sets.append("details = json_set(details, " + details.map { "'$.\($0.key)', json(?)" }.joined(separator: ", ") + ")")
            for change in details { arguments += [change.json] }
        }
        guard !sets.isEmpty else { return try await countCoupons(applicationId: applicationId, filter: filter) }
        let sql = "UPDATE coupon SET \(sets.joined(separator: ", ")) WHERE \(condition)"
        let allArguments = arguments + conditionArguments
        return try await pool.write { db in
            try db.execute(sql: sql, arguments: allArguments)
            if couponId != nil, db.changesCount == 0 { throw StoreError.notFound(entity: "coupon") }
            return db.changesCount
        }
    }

    public func deleteCoupons(applicationId: Int64, filter: CouponFilter, couponId: Int64?) async throws -> Int {
        let (condition, arguments) = Self.couponCondition(applicationId: applicationId, filter: filter, couponId: couponId)
        return try await pool.write { db in
            try db.execute(sql: "DELETE FROM coupon WHERE \(condition)", arguments: arguments)
            if couponId != nil, db.changesCount == 0 { throw StoreError.notFound(entity: "coupon") }
            return db.changesCount
        }
    }

    private static func couponCondition(applicationId: Int64, filter: CouponFilter, couponId: Int64?)
        -> (String, StatementArguments)
    {
        var conditions = ["application_id = ?"]
        var arguments: StatementArguments = [applicationId]
        if let couponId { conditions.append("id = ?"); arguments += [couponId] }
        if let campaignId = filter.campaignId { conditions.append("campaign_id = ?"); arguments += [campaignId] }
        if let value = filter.value {
            conditions.append(filter.exactMatch ? "value = ?" : "instr(value, ?) > 0")
            arguments += [value]
        }
        if let batch = filter.batchId { conditions.append("batch_id = ?"); arguments += [batch] }
        if let afterId = filter.afterId { conditions.append("id > ?"); arguments += [afterId] }
        if let recipient = filter.recipientIntegrationId {
            conditions.append("recipient_integration_id = ?")
            arguments += [recipient]
        }
        if let before = filter.createdBefore { conditions.append("created < ?"); arguments += [before] }
        if let after = filter.createdAfter { conditions.append("created > ?"); arguments += [after] }
        if let usable = filter.usable {
            let usableCondition = "((usage_limit = 0 OR usage_counter < usage_limit) AND (expiry_date IS NULL OR expiry_date > ?))"
            conditions.append(usable ? usableCondition : "NOT \(usableCondition)")
            arguments += [filter.now]
        }
        return (conditions.joined(separator: " AND "), arguments)
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

    static func coupon(from row: Row) throws -> Coupon {
        let details = try CouponDetails(stored: row["details"])
        var coupon = Coupon(id: row["id"], campaignId: row["campaign_id"], value: row["value"],
                            usageLimit: row["usage_limit"], usageCounter: row["usage_counter"],
                            created: row.date("created"))
        coupon.discountLimit = (row["discount_limit"] as String?).flatMap { Decimal(string: $0) }
        coupon.discountCounter = StoredMoney.decimal(row["discount_units"])
        coupon.startDate = row.optionalDate("start_date")
        coupon.expiryDate = row.optionalDate("expiry_date")
        coupon.recipientIntegrationId = row["recipient_integration_id"]
        coupon.batchId = row["batch_id"]
        coupon.reservationCounter = row["reservation_counter"]
        details.apply(to: &coupon)
        return coupon
    }
}
