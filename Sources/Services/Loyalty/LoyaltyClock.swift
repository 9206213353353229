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

    public init(store: any Store, interval: Duration = .seconds(1), logger: Logger) {
        (self.store, self.interval, self.logger) = (store, interval, logger)
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let changed = try await store.recordDueLoyaltyChanges(now: Date().storagePrecision)
                    if changed > 0 { logger.debug("recorded \(changed) loyalty activations and expiries") }
                } catch {
                    logger.error("could not record due loyalty activations and expiries: \(error)")
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
