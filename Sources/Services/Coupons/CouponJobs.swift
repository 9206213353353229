import Foundation
import Logging
import PromotionEngine
import Storage

/// Background coupon generation (`coupons_async`): one job per batch id, with its progress.
public actor CouponJobs {
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

    /// A job and what it belongs to: its progress is shown only under its own application and campaign.
    private struct Job {
        var applicationId: Int64
        var campaignId: Int64
        var progress: Progress
        var task: Task<Void, Never>?
    }

    private let generation: CouponGeneration
    private var jobs: [String: Job] = [:]
    private let logger = Logger(label: "sconto.coupons")

    public init(store: any Store) {
        generation = CouponGeneration(store: store)
    }

    /// Starts generating in the background and returns at once.
    public func start(_ request: CouponRequest, application: Application, batchId: String) {
        let progress = Progress(batchId: batchId, requested: request.numberOfCoupons, created: 0, done: false)
        jobs[batchId] = Job(applicationId: application.id, campaignId: request.template.campaignId, progress: progress)
        let generation = self.generation
        let logger = self.logger
        jobs[batchId]?.task = Task {
            let started = ContinuousClock.now
            do {
                let created = try await generation.generateCount(request, application: application) { count in
                    await self.update(batchId) { $0.created = count }
                }
                let seconds = Self.seconds(ContinuousClock.now - started)
                self.update(batchId) { progress in
                    progress.created = created
                    progress.done = true
                    progress.codesPerSecond = seconds > 0 ? Double(created) / seconds : nil
                    if created < request.numberOfCoupons {
                        progress.failure = "only \(created) free codes found for the pattern"
                    }
                }
            } catch is CancellationError {
                self.update(batchId) { $0.done = true; $0.failure = "the job was cancelled" }
            } catch {
                // The cause (often a database message with SQL) goes to the server log, not to the client.
                logger.error("coupon job failed", metadata: ["batchId": .string(batchId), "error": .string("\(error)")])
                self.update(batchId) { $0.done = true; $0.failure = "coupon generation failed; see the server log" }
            }
        }
    }

    /// The progress of a job of this application and campaign (nil for another's batch id).
    public func progress(_ batchId: String, applicationId: Int64, campaignId: Int64) -> Progress? {
        guard let job = jobs[batchId], job.applicationId == applicationId, job.campaignId == campaignId else { return nil }
        return job.progress
    }

    /// Stops every running job after its current batch (on shutdown).
    public func cancelAll() {
        for job in jobs.values { job.task?.cancel() }
    }

    private func update(_ batchId: String, _ change: (inout Progress) -> Void) {
        guard var job = jobs[batchId] else { return }
        change(&job.progress)
        jobs[batchId] = job
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
