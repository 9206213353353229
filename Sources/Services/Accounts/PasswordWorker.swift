import Foundation
import Storage

/// Runs password hashing on one dedicated, low-priority thread, away from the task pool that serves
/// requests, so that password guessing cannot slow the Integration API down.
///
/// At most `maxPending` hashes wait; beyond that ``run(_:)`` throws ``Busy`` at once rather than queueing
/// work that would only answer after the client gave up.
public final class PasswordWorker: @unchecked Sendable {
    public struct Busy: Error {}

    // `condition` guards `queue`; the thread is the only consumer.
    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []
    private let maxPending: Int

    /// The process's one password thread (routers built in tests share it too).
    public static let shared = PasswordWorker()

    public init(maxPending: Int = 32) {
        self.maxPending = maxPending
        let thread = Thread { [condition] in
            Self.lowerPriority()
            while true {
                condition.lock()
                while self.queue.isEmpty { condition.wait() }
                let job = self.queue.removeFirst()
                condition.unlock()
                job()
            }
        }
        thread.name = "sconto-passwords"
        thread.start()
    }

    /// The result of `work`, computed on the password thread.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            guard queue.count < maxPending else {
                continuation.resume(throwing: Busy())
                return
            }
            queue.append { continuation.resume(with: Result { try work() }) }
            condition.signal()
        }
    }

    /// Whether `password` matches `encoded`; with no stored hash, the same work against a decoy, so an
    /// unknown email costs as long as a wrong password.
    public func verify(_ password: String, against encoded: String?) async throws -> Bool {
        try await run {
            let matches = PasswordHasher.verify(password, against: encoded ?? PasswordHasher.decoy)
            return encoded != nil && matches
        }
    }

    public func hash(_ password: String) async throws -> String {
        try await run { try PasswordHasher.hash(password) }
    }

    private static func lowerPriority() {
        #if os(Linux)
        // On Linux a nice value is per thread: this one yields to the request threads.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }
}
