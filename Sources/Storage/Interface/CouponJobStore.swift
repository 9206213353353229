import Foundation

/// A background coupon batch (`coupons_async`) as a row any node can run and any node can report on.
public struct CouponJob: Sendable, Hashable {
    public enum State: String, Sendable {
        /// Waiting for a node (new, or given back by a node that shut down).
        case queued
        /// Held by a node whose lease has not expired; a killed node's job is taken over once it expires.
        case running
        case done
    }

    public var id: Int64
    public var batchId: String
    public var applicationId: Int64
    public var campaignId: Int64
    public var requested: Int
    /// Coupons of the batch that exist (a claim recounts them, so a chunk whose progress was never
    /// recorded still counts and is not made twice).
    public var created: Int
    public var state: State
    public var failure: String?
    public var codesPerSecond: Double?
    /// What to generate, encoded by Services (opaque to stores).
    public var request: String

    public init(id: Int64 = 0, batchId: String, applicationId: Int64, campaignId: Int64, requested: Int,
                created: Int = 0, state: State = .queued, failure: String? = nil, codesPerSecond: Double? = nil,
                request: String)
    {
        self.id = id
        self.batchId = batchId
        self.applicationId = applicationId
        self.campaignId = campaignId
        self.requested = requested
        self.created = created
        self.state = state
        self.failure = failure
        self.codesPerSecond = codesPerSecond
        self.request = request
    }
}

/// Coupon jobs as rows: enqueued by the node that accepts the request, claimed atomically by one worker,
/// leased while it runs, so a stopped or killed node's job resumes elsewhere.
public protocol CouponJobStore: Sendable {
    func enqueueCouponJob(_ job: CouponJob, now: Date) async throws
    /// Whether some job is queued or has an expired lease at `now` (a cheap read before trying to claim).
    func hasClaimableCouponJob(now: Date) async throws -> Bool
    /// Takes the oldest queued job, or running one whose lease expired, for `holder` until `until`, in one
    /// statement; its `created` recounted from the batch's coupons. nil when there is none.
    func claimCouponJob(holder: String, now: Date, until: Date) async throws -> CouponJob?
    /// Records progress and extends the lease; false when `holder` no longer has the job.
    func recordCouponJobProgress(id: Int64, holder: String, created: Int, until: Date) async throws -> Bool
    /// Marks the job done (with a failure when it failed); `created` nil keeps the last recorded progress.
    func finishCouponJob(id: Int64, holder: String, created: Int?, failure: String?, codesPerSecond: Double?)
        async throws
    /// Gives a job back (graceful shutdown): queued again for any node, its progress kept.
    func releaseCouponJob(id: Int64, holder: String) async throws
    func couponJob(batchId: String, applicationId: Int64, campaignId: Int64) async throws -> CouponJob?
}
