import Foundation
import Logging
import ServiceLifecycle
import Storage
import Synchronization

/// Collects Integration API access-log entries and writes them in batches, off the request path.
///
/// Runs as a service: every `flushInterval` it writes what accumulated in one transaction, prunes entries
/// older than the retention once an hour (on one node of a cluster: a lease decides which), and flushes a last time on graceful shutdown.
/// Not an actor: recording is a lock and an append, so a request does not hop to another executor to be logged.
public final class AccessLogRecorder: Service, Sendable {
    private struct State {
        var pending: [AccessLogEntry] = []
        var dropped = 0
        var lastPrune = Date.distantPast
    }

    private let store: any Store
    private let retention: TimeInterval
    private let flushInterval: Duration
    private let logger: Logger
    private let state = Mutex(State())
    /// Entries dropped because the store could not keep up (never blocks a request).
    public var dropped: Int { state.withLock { $0.dropped } }
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
        state.withLock { state in
            guard state.pending.count < Self.maximumPending else {
                state.dropped += 1
                return
            }
            state.pending.append(entry)
        }
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
        let batch = state.withLock { state in
            defer { state.pending.removeAll(keepingCapacity: true) }
            return state.pending
        }
        do {
            try await store.appendAccessLogs(batch)
            // Decided under the lock, so two flushes at once do not both prune.
            let now = Date()
            let prunes = state.withLock { state in
                guard now.timeIntervalSince(state.lastPrune) > 3600 else { return false }
                state.lastPrune = now
                return true
            }
            if prunes {
                // One node of the cluster prunes per hour: the one holding the lease.
                guard try await store.acquireLease(name: "access-log-retention", holder: Self.node, now: now,
                                                   until: now.addingTimeInterval(3600)) else { return }
                let pruned = try await store.pruneAccessLogs(before: Date().addingTimeInterval(-retention))
                if pruned > 0 { logger.info("pruned \(pruned) access-log entries past retention") }
            }
        } catch {
            logger.error("could not write \(batch.count) access-log entries: \(error)")
            state.withLock { state in
                state.pending = Array((batch + state.pending).suffix(Self.maximumPending))
            }
        }
    }
}
