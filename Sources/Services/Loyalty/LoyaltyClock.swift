import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Records loyalty points' activations and expiries as their dates pass, without a request: every `interval`,
/// one store call writes what is due (each lot once, so a restart or a second node repeats nothing). Reads are
/// right before it runs too: balances are brought up to date when read.
public struct LoyaltyClock: Service {
    let store: any Store
    let interval: Duration
    let logger: Logger
    /// This process, as a lease holder.
    static let node = UUID().uuidString

    public init(store: any Store, interval: Duration = .seconds(1), logger: Logger) {
        (self.store, self.interval, self.logger) = (store, interval, logger)
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await recordDueChanges(now: Date().storagePrecision)
                } catch {
                    logger.error("could not record due loyalty activations and expiries: \(error)")
                }
                try await Task.sleep(for: interval)
            }
        }
    }

    /// One node of a cluster records them (the statements are guarded, so two would only repeat reads); the
    /// lease outlives a few ticks, so a stopped node's turn passes to another.
    private func recordDueChanges(now: Date) async throws {
        guard try await store.acquireLease(name: "loyalty-clock", holder: Self.node, now: now,
                                           until: now.addingTimeInterval(10)) else { return }
        let changed = try await store.recordDueLoyaltyChanges(now: now)
        if changed > 0 { logger.debug("recorded \(changed) loyalty activations and expiries") }
    }
}
