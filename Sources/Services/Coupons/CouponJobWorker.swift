import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Runs queued coupon jobs, one at a time per node: claims one atomically, generates it chunk by chunk
/// (each chunk one insert transaction, its progress recorded after it, which also renews the lease), and on
/// graceful shutdown stops after the current chunk and gives the job back for the next node or start.
/// A killed node's job is taken over once its lease expires; the claim recounts what exists, so no chunk
/// is made twice.
public actor CouponJobWorker: Service {
    private let store: any Store
    private let generation: CouponGeneration
    private let lease: TimeInterval
    private let pollInterval: Duration
    private let logger: Logger
    /// This process, as the holder of the jobs it runs.
    private let holder = UUID().uuidString
    private var woken = false

    public init(store: any Store, lease: TimeInterval = 30, pollInterval: Duration = .seconds(1),
                logger: Logger = Logger(label: "sconto.coupons"))
    {
        self.store = store
        generation = CouponGeneration(store: store)
        self.lease = lease
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// A job was queued on this node: look now rather than at the next poll.
    public func wake() { woken = true }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if try await !self.runNextJob() { try await self.idle() }
            }
        }
    }

    /// Sleeps until woken or the poll interval passed, in short steps so a wake-up is not missed for long.
    private func idle() async throws {
        let deadline = ContinuousClock.now + pollInterval
        while !woken, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        woken = false
    }

    /// Runs one job if there is one; false when there was none.
    private func runNextJob() async throws -> Bool {
        let now = Date()
        do {
            guard try await store.hasClaimableCouponJob(now: now),
                  let job = try await store.claimCouponJob(holder: holder, now: now, until: now.addingTimeInterval(lease))
            else { return false }
            await execute(job)
            return true
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.error("could not claim a coupon job: \(error)")
            return false
        }
    }

    private func execute(_ job: CouponJob) async {
        let started = ContinuousClock.now
        let (store, holder, lease) = (store, self.holder, self.lease)
        do {
            let stored = try StoredCouponRequest.decode(job.request)
            let application = try await store.application(
                id: job.applicationId, accountId: try await store.applicationAccountId(applicationId: job.applicationId)
            )
            let remaining = max(0, job.requested - job.created)
            let made = remaining == 0 ? 0 : try await generation.generateCount(
                stored.request(remaining: remaining), application: application
            ) { count in
                let kept = try await store.recordCouponJobProgress(
                    id: job.id, holder: holder, created: job.created + count, until: Date().addingTimeInterval(lease)
                )
                // Its lease expired and another node took it over: stop after this chunk.
                if !kept { throw LostJob() }
            }
            let created = job.created + made
            let seconds = Self.seconds(ContinuousClock.now - started)
            try await store.finishCouponJob(
                id: job.id, holder: holder, created: created,
                failure: created < job.requested ? "only \(created) free codes found for the pattern" : nil,
                codesPerSecond: seconds > 0 && made > 0 ? Double(made) / seconds : nil
            )
        } catch is CancellationError {
            // Shutting down: hand the job back so the next node (or this one, restarted) resumes it. Not
            // cancelled itself, this write completes although the worker's task is.
            let release = Task.detached { try await store.releaseCouponJob(id: job.id, holder: holder) }
            do {
                try await release.value
                logger.notice("coupon job handed back on shutdown", metadata: ["batchId": .string(job.batchId)])
            } catch {
                logger.error("could not hand back coupon job \(job.batchId); it resumes when its lease expires: \(error)")
            }
        } catch is LostJob {
            logger.warning("coupon job taken over by another node", metadata: ["batchId": .string(job.batchId)])
        } catch {
            // The cause (often a database message with SQL) goes to the server log, not to the client.
            logger.error("coupon job failed", metadata: ["batchId": .string(job.batchId), "error": .string("\(error)")])
            try? await store.finishCouponJob(id: job.id, holder: holder, created: nil, failure:
                "coupon generation failed; see the server log", codesPerSecond: nil)
        }
    }

    private struct LostJob: Error {}

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
