import Foundation
import Storage

extension PostgresStore: ConfigurationRevisionStore, AccountSecurityStore, LeaseStore {
    public func configurationRevision() async throws -> Int64 {
        try await read { db in
            try await db.value(Int64.self, "SELECT revision FROM configuration_revision WHERE id = 1") ?? 0
        }
    }

    public func allApplicationIds() async throws -> [Int64] {
        try await read { db in try await db.values(Int64.self, "SELECT id FROM application ORDER BY id") }
    }

    public func ipAllowlist(accountId: Int64) async throws -> [String] {
        try await read { db in
            guard let text = try await db.value(String.self, "SELECT ip_allowlist FROM account WHERE id = ?", [accountId])
            else { return [] }
            return try StoredJSON.decode([String].self, from: text)
        }
    }

    public func setIPAllowlist(accountId: Int64, cidrs: [String]) async throws {
        let text = try StoredJSON.encode(cidrs)
        try await write { db in
            guard try await db.changes("UPDATE account SET ip_allowlist = ? WHERE id = ? RETURNING id",
                                       [text, accountId]) == 1
            else { throw StoreError.notFound(entity: "account") }
            db.changesConfiguration = true
        }
    }

    public func acquireLease(name: String, holder: String, now: Date, until: Date) async throws -> Bool {
        // The conflict arm re-checks its WHERE on the newest row version, so two nodes never both win.
        try await write { db in
            try await db.changes("""
                INSERT INTO lease (name, holder, expires) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
                WHERE lease.holder = excluded.holder OR lease.expires <= ?
                RETURNING name
                """, [name, holder, until, now]) == 1
        }
    }
}

extension PostgresStore: CouponJobStore {
    public func enqueueCouponJob(_ job: CouponJob, now: Date) async throws {
        try await write { db in
            try await db.execute("""
                INSERT INTO coupon_job (application_id, campaign_id, batch_id, requested, state, request, enqueued)
                VALUES (?, ?, ?, ?, 'queued', ?, ?)
                """, [job.applicationId, job.campaignId, job.batchId, job.requested, job.request, now])
        }
    }

    public func hasClaimableCouponJob(now: Date) async throws -> Bool {
        try await read { db in
            try await db.value(Bool.self, """
                SELECT EXISTS (SELECT 1 FROM coupon_job
                               WHERE state = 'queued' OR (state = 'running' AND lease_expires <= ?))
                """, [now]) ?? false
        }
    }

    public func claimCouponJob(holder: String, now: Date, until: Date) async throws -> CouponJob? {
        try await write { db in
            // SKIP LOCKED: two nodes claiming at once take different jobs instead of queueing on one row.
            guard let row = try await db.row("""
                UPDATE coupon_job SET state = 'running', holder = ?, lease_expires = ?
                WHERE id = (SELECT id FROM coupon_job
                            WHERE state = 'queued' OR (state = 'running' AND lease_expires <= ?)
                            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING *
                """, [holder, until, now])
            else { return nil }
            var job = try Self.couponJob(from: row)
            job.created = try await db.value(Int.self, """
                SELECT COUNT(*) FROM coupon WHERE application_id = ? AND batch_id = ?
                """, [job.applicationId, job.batchId]) ?? 0
            try await db.execute("UPDATE coupon_job SET created = ? WHERE id = ?", [job.created, job.id])
            return job
        }
    }

    public func recordCouponJobProgress(id: Int64, holder: String, created: Int, until: Date) async throws -> Bool {
        try await write { db in
            try await db.changes("""
                UPDATE coupon_job SET created = ?, lease_expires = ? WHERE id = ? AND holder = ? AND state = 'running'
                RETURNING id
                """, [created, until, id, holder]) == 1
        }
    }

    public func finishCouponJob(id: Int64, holder: String, created: Int?, failure: String?, codesPerSecond: Double?)
        async throws
    {
        try await write { db in
            try await db.execute("""
                UPDATE coupon_job SET state = 'done', created = COALESCE(?::BIGINT, created), failure = ?,
                    codes_per_second = ?, holder = NULL, lease_expires = NULL
                WHERE id = ? AND holder = ? AND state = 'running'
                """, [created, failure, codesPerSecond, id, holder])
        }
    }

    public func releaseCouponJob(id: Int64, holder: String) async throws {
        try await write { db in
            try await db.execute("""
                UPDATE coupon_job SET state = 'queued', holder = NULL, lease_expires = NULL
                WHERE id = ? AND holder = ? AND state = 'running'
                """, [id, holder])
        }
    }

    public func couponJob(batchId: String, applicationId: Int64, campaignId: Int64) async throws -> CouponJob? {
        try await read { db in
            try await db.row("""
                SELECT * FROM coupon_job WHERE application_id = ? AND batch_id = ? AND campaign_id = ?
                """, [applicationId, batchId, campaignId]).map(Self.couponJob(from:))
        }
    }

    private static func couponJob(from row: Row) throws -> CouponJob {
        CouponJob(
            id: try row["id"], batchId: try row["batch_id"], applicationId: try row["application_id"],
            campaignId: try row["campaign_id"], requested: Int(try row["requested"] as Int64),
            created: Int(try row["created"] as Int64),
            state: CouponJob.State(rawValue: try row["state"]) ?? .queued, failure: try row["failure"],
            codesPerSecond: try row["codes_per_second"], request: try row["request"]
        )
    }
}
