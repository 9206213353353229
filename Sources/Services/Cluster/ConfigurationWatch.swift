import Logging
import ServiceLifecycle
import Storage

/// Polls the cluster-wide configuration revision and, when another node moved it, tells this node's caches
/// (through ``ConfigurationChanges``) to check the store again; this node's own writes tell them at once.
///
/// On PostgreSQL, `LISTEN` on a channel the revision trigger notifies would replace the polling loop.
public actor ConfigurationWatch: Service {
    private let store: any ConfigurationRevisionStore
    private let interval: Duration
    private let logger: Logger
    private var seen: Int64?

    public init(store: any ConfigurationRevisionStore, interval: Duration = .milliseconds(200),
                logger: Logger = Logger(label: "sconto.configuration"))
    {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.check()
                try await Task.sleep(for: self.interval)
            }
        }
    }

    /// Reads the revision once; a move since the last read invalidates the caches.
    public func check() async {
        do {
            let revision = try await store.configurationRevision()
            if let seen, seen != revision { ConfigurationChanges.record() }
            seen = revision
        } catch {
            // Caches keep checking on their own (``ConfigurationChanges/maximumStaleness``) meanwhile.
            logger.warning("could not read the configuration revision: \(error)")
        }
    }
}
