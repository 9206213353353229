import Synchronization

/// Serializes requests per key (an application's session or profile id), as Talon.One promises:
/// one request runs, at most `maximumWaiting` wait in order, a further one is refused at once.
///
/// This orders requests within one node; across nodes the store's optimistic check
/// (`StoreError.sessionChanged`) keeps updates from overwriting each other.
///
/// A lock, not an actor: every session update passes through one or two lines, and an uncontended one now
/// costs a lock and a dictionary update on the request's own thread instead of executor hops in and out.
public final class RequestQueue: Sendable {
    private struct Line {
        /// Resumed with `false` ("not refused") when it is their turn.
        var waiting: [CheckedContinuation<Bool, Never>] = []
    }

    /// The keys with a request running, and who waits behind it.
    private let lines = Mutex<[String: Line]>([:])
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

    private enum Entry { case running, waits, busy }

    private func enter(_ key: String) async throws {
        // First without suspending: the common case is a free line.
        let entry = lines.withLock { lines -> Entry in
            guard let line = lines[key] else {
                lines[key] = Line()
                return .running
            }
            return line.waiting.count < maximumWaiting ? .waits : .busy
        }
        switch entry {
        case .running: return
        case .busy: throw Busy()
        case .waits: break
        }
        // The line may have moved since: decide again, under the lock, as the continuation is registered.
        let refused = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let outcome = lines.withLock { lines -> Entry in
                guard var line = lines[key] else {
                    lines[key] = Line()
                    return .running
                }
                guard line.waiting.count < maximumWaiting else { return .busy }
                line.waiting.append(continuation)
                lines[key] = line
                return .waits
            }
            switch outcome {
            case .running: continuation.resume(returning: false)
            case .busy: continuation.resume(returning: true)
            case .waits: break  // `leave` resumes it, handing this request the running slot.
            }
        }
        if refused { throw Busy() }
    }

    private func leave(_ key: String) {
        let next = lines.withLock { lines -> CheckedContinuation<Bool, Never>? in
            guard var line = lines[key] else { return nil }
            if line.waiting.isEmpty {
                lines[key] = nil
                return nil
            }
            let next = line.waiting.removeFirst()
            lines[key] = line
            return next
        }
        next?.resume(returning: false)
    }

    /// How many keys currently have a request running (for tests and metrics).
    public var activeKeys: Int { lines.withLock { $0.count } }
}
