import Foundation
import GRDB
import Storage

extension SQLiteStore: CouponJobStore {
    public func enqueueCouponJob(_ job: CouponJob, now: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO coupon_job (application_id, campaign_id, batch_id, requested, state, request, enqueued)
                VALUES (?, ?, ?, ?, 'queued', ?, ?)
                """, arguments: [job.applicationId, job.campaignId, job.batchId, job.requested, job.request, now])
        }
    }

    public func hasClaimableCouponJob(now: Date) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM coupon_job
                               WHERE state = 'queued' OR (state = 'running' AND lease_expires <= ?))
                """, arguments: [now]) ?? false
        }
    }

    public func claimCouponJob(holder: String, now: Date, until: Date) async throws -> CouponJob? {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: """
                UPDATE coupon_job SET state = 'running', holder = ?, lease_expires = ?
                WHERE id = (SELECT id FROM coupon_job
                            WHERE state = 'queued' OR (state = 'running' AND lease_expires <= ?)
                            ORDER BY id LIMIT 1)
                RETURNING *
                """, arguments: [holder, until, now])
            else { return nil }
            var job = Self.couponJob(from: row)
            job.created = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM coupon WHERE application_id = ? AND batch_id = ?",
                                           arguments: [job.applicationId, job.batchId]) ?? 0
            try db.execute(sql: "UPDATE coupon_job SET created = ? WHERE id = ?", arguments: [job.created, job.id])
            return job
        }
    }

    public func recordCouponJobProgress(id: Int64, holder: String, created: Int, until: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE coupon_job SET created = ?, lease_expires = ? WHERE id = ? AND holder = ? AND state = 'running'
                """, arguments: [created, until, id, holder])
            return db.changesCount == 1
        }
    }

    public func finishCouponJob(id: Int64, holder: String, created: Int?, failure: String?, codesPerSecond: Double?)
        async throws
    {
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE coupon_job SET state = 'done', created = COALESCE(?, created), failure = ?, codes_per_second = ?, holder = NULL,
                    lease_expires = NULL
                WHERE id = ? AND holder = ? AND state = 'running'
                """, arguments: [created, failure, codesPerSecond, id, holder])
        }
    }

    public func releaseCouponJob(id: Int64, holder: String) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE coupon_job SET state = 'queued', holder = NULL, lease_expires = NULL
                WHERE id = ? AND holder = ? AND state = 'running'
                """, arguments: [id, holder])
        }
    }

    public func couponJob(batchId: String, applicationId: Int64, campaignId: Int64) async throws -> CouponJob? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM coupon_job WHERE application_id = ? AND batch_id = ? AND campaign_id = ?
                """, arguments: [applicationId, batchId, campaignId]).map(Self.couponJob(from:))
        }
    }

    static func couponJob(from row: Row) -> CouponJob {
        CouponJob(
            id: row["id"], batchId: row["batch_id"], applicationId: row["application_id"], campaignId: row["campaign_id"],
            requested: row["requested"], created: row["created"],
            state: CouponJob.State(rawValue: row["state"]) ?? .queued, failure: row["failure"],
            codesPerSecond: row["codes_per_second"], request: row["request"]
        )
    }
}
