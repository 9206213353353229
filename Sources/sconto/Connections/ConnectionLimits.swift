import Foundation
import Synchronization

/// How long a client may take and how many connections it may hold (`serve` options).
struct ConnectionLimits: Sendable {
    /// A keep-alive connection with no request in progress is closed after this long.
    var idleTimeout: Duration = .seconds(60)
    /// From a connection's (or a request's) first byte to the end of its headers.
    var headerTimeout: Duration = .seconds(10)
    /// From the end of the headers to the last byte of the body.
    var bodyTimeout: Duration = .seconds(30)
    /// Open connections beyond this are answered 503 and closed at once.
    var maxConnections: Int = 1000

    /// The default cap: well under the process's file-descriptor limit, which SQLite and logs share.
    static func defaultMaxConnections() -> Int {
        var limit = rlimit()
        #if os(Linux)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return 1000 }
        let available = Int(clamping: limit.rlim_cur) - 128
        return max(16, min(10_000, available * 3 / 4))
    }
}

/// The number of open connections, shared by every connection's ``ConnectionGuard``.
final class ConnectionCount: Sendable {
    private let open = Atomic<Int>(0)

    /// Counts a new connection; false when it is over `limit` (it is still counted until it closes).
    func opened(limit: Int) -> Bool {
        open.add(1, ordering: .relaxed).newValue <= limit
    }

    func closed() {
        open.subtract(1, ordering: .relaxed)
    }
}
