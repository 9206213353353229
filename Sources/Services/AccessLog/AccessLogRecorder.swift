import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Collects Integration API access-log entries and writes them in batches, off the request path.
///
/// Runs as a service: every `flushInterval` it writes what accumulated in one transaction, prunes entries
/// older than the retention once an hour (on one node of a cluster: a lease decides which), and flushes a last time on graceful shutdown.
public actor AccessLogRecorder: Service {
    private let store: any Store
    private let retention: TimeInterval
    private let flushInterval: Duration
    private let logger: Logger
    private var pending: [AccessLogEntry] = []
    private var lastPrune = Date.distantPast
    /// Entries dropped because the store could not keep up (never blocks a request).
    public private(set) var dropped = 0
    static let maximumPending = 10_000
    /// This process, as a lease holder.
    static let node = UUID().uuidString

    public init(store: any Store, retention: TimeInterval, flushInterval: Duration = .milliseconds(250),
                logger: Logger = Logger(label: "sconto.access-log"))
    {
        self.store = store
        self.retention = retention
        self.flushInterval = flushInterval
        self.logger = logger
    }

    public func record(_ entry: AccessLogEntry) {
        guard pending.count < Self.maximumPending else {
            dropped += 1
            return
        }
        pending.append(entry)
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: self.flushInterval)
                await self.flush()
            }
        }
        await flush()
    }

    /// Writes what is pending now; on failure the batch is kept for the next try.
    public func flush() async {
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        do {
            try await store.appendAccessLogs(batch)
            if Date().timeIntervalSince(lastPrune) > 3600 {
                lastPrune = Date()
                // One node of the cluster prunes per hour: the one holding the lease.
                guard try await store.acquireLease(name: "access-log-retention", holder: Self.node, now: lastPrune,
                                                   until: lastPrune.addingTimeInterval(3600)) else { return }
                let pruned = try await store.pruneAccessLogs(before: Date().addingTimeInterval(-retention))
                if pruned > 0 { logger.info("pruned \(pruned) access-log entries past retention") }
            }
        } catch {
            logger.error("could not write \(batch.count) access-log entries: \(error)")
            pending = Array((batch + pending).suffix(Self.maximumPending))
        }
    }
}
