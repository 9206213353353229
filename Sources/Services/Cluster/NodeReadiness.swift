import Logging
import ServiceLifecycle
import Synchronization

/// Whether this node should get traffic: `GET /readyz` answers 200 only while ``isReady``.
///
/// Not ready until the caches are warm (migrations ran before the store opened); not ready again once
/// shutdown begins, so a load balancer stops sending requests before the server stops accepting them.
public final class NodeReadiness: Sendable {
    public enum State: Int, Sendable {
        case starting, ready, draining
    }

    private let state = Atomic<Int>(State.starting.rawValue)

    public init() {}

    public var current: State { State(rawValue: state.load(ordering: .acquiring)) ?? .starting }
    public var isReady: Bool { current == .ready }

    func set(_ new: State) { state.store(new.rawValue, ordering: .releasing) }
}

/// The service that moves a node's ``NodeReadiness``: warms up, reports ready, and on SIGTERM reports
/// draining for `drainDelay` before the HTTP server (run after it in the service group) stops accepting.
public struct NodeLifecycle: Service {
    private let readiness: NodeReadiness
    private let warmUp: @Sendable () async throws -> Void
    private let drainDelay: Duration
    private let logger: Logger

    public init(readiness: NodeReadiness, drainDelay: Duration, logger: Logger,
                warmUp: @escaping @Sendable () async throws -> Void)
    {
        self.readiness = readiness
        self.warmUp = warmUp
        self.drainDelay = drainDelay
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown { [self] in
            while true {
                do {
                    try await warmUp()
                    break
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    logger.error("warm-up failed, retrying in 1 s: \(error)")
                    try await Task.sleep(for: .seconds(1))
                }
            }
            readiness.set(.ready)
            logger.info("ready")
        }
        // Whether warm-up finished or not, shutdown has begun here.
        try? await gracefulShutdown()
        readiness.set(.draining)
        logger.notice("draining: /readyz answers 503")
        try? await Task.sleep(for: drainDelay)
    }
}
