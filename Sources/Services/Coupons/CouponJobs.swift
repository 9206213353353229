import Foundation
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

    private let generation: CouponGeneration
    private var jobs: [String: Progress] = [:]

    public init(store: any Store) {
        generation = CouponGeneration(store: store)
    }

    /// Starts generating in the background and returns at once.
    public func start(_ request: CouponRequest, application: Application, batchId: String) {
        jobs[batchId] = Progress(batchId: batchId, requested: request.numberOfCoupons, created: 0, done: false)
        let generation = self.generation
        Task {
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
            } catch {
                self.update(batchId) { $0.done = true; $0.failure = "\(error)" }
            }
        }
    }

    public func progress(_ batchId: String) -> Progress? { jobs[batchId] }

    private func update(_ batchId: String, _ change: (inout Progress) -> Void) {
        guard var progress = jobs[batchId] else { return }
        change(&progress)
        jobs[batchId] = progress
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
