/// Serializes requests per key (an application's session or profile id), as Talon.One promises:
/// one request runs, at most `maximumWaiting` wait in order, a further one is refused at once.
///
/// This orders requests within one node; across nodes the store's optimistic check
/// (`StoreError.sessionChanged`) keeps updates from overwriting each other.
public actor RequestQueue {
    private struct Line {
        var running = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private var lines: [String: Line] = [:]
    private let maximumWaiting: Int

    public init(maximumWaiting: Int = 2) {
        self.maximumWaiting = maximumWaiting
    }

    /// Thrown when the line for a key is full.
    public struct Busy: Error, Sendable {}

    /// Runs `body` when it is this request's turn for `key`; throws ``Busy`` when the line is full.
    public func run<T: Sendable>(key: String, _ body: @Sendable () async throws -> T) async throws -> T {
        try await enter(key)
        defer { leave(key) }
        return try await body()
    }

    private func enter(_ key: String) async throws {
        var line = lines[key, default: Line()]
        if !line.running {
            line.running = true
            lines[key] = line
            return
        }
        guard line.waiting.count < maximumWaiting else { throw Busy() }
        await withCheckedContinuation { continuation in
            line.waiting.append(continuation)
            lines[key] = line
        }
        // `leave` handed the running slot to this request.
    }

    private func leave(_ key: String) {
        guard var line = lines[key] else { return }
        if line.waiting.isEmpty {
            lines[key] = nil
        } else {
            let next = line.waiting.removeFirst()
            lines[key] = line
            next.resume()
        }
    }

    /// How many keys currently have a request running (for tests and metrics).
    public var activeKeys: Int { lines.count }
}
