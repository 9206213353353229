import Foundation
import Logging
import PromotionEngine
import Storage

/// Background coupon generation (`coupons_async`): a job is a row (``CouponJobStore``) that a
/// ``CouponJobWorker`` on any node runs, so its progress is the same through every node and a job outlives
/// the node that accepted it.
public struct CouponJobs: Sendable {
    public struct Progress: Sendable, Encodable {
        public var batchId: String
        public var requested: Int
        public var created: Int
        public var done: Bool
        public var failure: String?
        public var codesPerSecond: Double?

        public init(batchId: String, requested: Int, created: Int, done: Bool, failure: String? = nil) {
            self.batchId = batchId
            self.requested = requested
            self.created = created
            self.done = done
            self.failure = failure
        }
    }

    private let store: any Store
    private let worker: CouponJobWorker

    /// Jobs run by `worker`, which the caller runs as a service (`sconto serve` does).
    public init(store: any Store, worker: CouponJobWorker) {
        self.store = store
        self.worker = worker
    }

    /// Jobs run by a worker of their own, started here and running for the life of the process (in-process
    /// tests; `sconto serve` passes its lifecycle-managed worker instead).
    public init(store: any Store) {
        let worker = CouponJobWorker(store: store)
        Task { try? await worker.run() }
        self.init(store: store, worker: worker)
    }

    /// Queues the job and returns at once; this node's worker is told at once, other nodes' on their next poll.
    public func start(_ request: CouponRequest, application: Application, batchId: String) async throws {
        try await store.enqueueCouponJob(CouponJob(
            batchId: batchId, applicationId: application.id, campaignId: request.template.campaignId,
            requested: request.numberOfCoupons, request: try StoredCouponRequest(request).encoded()
        ), now: Date())
        await worker.wake()
    }

    /// The progress of a job of this application and campaign (nil for another's batch id).
    public func progress(_ batchId: String, applicationId: Int64, campaignId: Int64) async throws -> Progress? {
        guard let job = try await store.couponJob(batchId: batchId, applicationId: applicationId, campaignId: campaignId)
        else { return nil }
        var progress = Progress(batchId: job.batchId, requested: job.requested, created: job.created,
                                done: job.state == .done, failure: job.failure)
        progress.codesPerSecond = job.codesPerSecond
        return progress
    }
}
