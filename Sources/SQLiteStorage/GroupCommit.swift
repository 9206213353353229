import Dispatch
import GRDB
import Synchronization

/// How much an acknowledged write survives (`PRAGMA synchronous`).
public enum SQLiteDurability: String, Sendable, CaseIterable {
    /// Every commit is on disk before it is acknowledged: it survives a power loss.
    case full
    /// WAL at NORMAL: survives a crash of the process, but a power loss may drop the last commits.
    case normal
}

/// Group commit: the integration writes that arrive while a write transaction is under way are written
/// together in the next one, each in its own savepoint. The group pays one WAL sync (what makes
/// `synchronous = FULL` affordable), and a write that fails — a guard refusing a coupon, a stale session —
/// rolls back its own savepoint only: its neighbours commit.
///
/// Writes are acknowledged only after the group's COMMIT; if the COMMIT itself fails, every write of the group
/// fails with it. With `enabled == false` each write is its own transaction (the benchmark's baseline).
final class GroupCommit: Sendable {
    private struct Pending: Sendable {
        /// Runs the write inside the group's transaction; answers the acknowledgement to send after COMMIT.
        let run: @Sendable (Database) -> @Sendable () -> Void
        let fail: @Sendable (any Error) -> Void
    }

    private struct Queue {
        var pending: [Pending] = []
        var draining = false
    }

    private let pool: DatabasePool
    private let queue = Mutex(Queue())
    private let drainQueue = DispatchQueue(label: "sconto.group-commit")
    let enabled: Bool
    /// Bounds one transaction's length, so the first write of a long queue is not held back by the last.
    let maximumGroupSize = 128

    init(pool: DatabasePool, enabled: Bool) {
        self.pool = pool
        self.enabled = enabled
    }

    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        guard enabled else { return try await pool.write(work) }
        return try await withCheckedThrowingContinuation { continuation in
            let pending = Pending(
                run: { db in
                    do {
                        var value: T?
                        try db.inSavepoint {
                            value = try work(db)
                            return .commit
                        }
                        let committed = value!
                        return { continuation.resume(returning: committed) }
                    } catch {
                        return { continuation.resume(throwing: error) }
                    }
                },
                fail: { error in continuation.resume(throwing: error) }
            )
            let startsDrain = queue.withLock { queue in
                queue.pending.append(pending)
                defer { queue.draining = true }
                return !queue.draining
            }
            if startsDrain { drainQueue.async { self.drain() } }
        }
    }

    /// Writes groups until the queue is empty; one drain runs at a time, on `drainQueue`, writing synchronously:
    /// the writer's connection then runs on this thread (no hop to GRDB's writer queue and back per group).
    private func drain() {
        while true {
            let group = queue.withLock { queue in
                let taken = Array(queue.pending.prefix(maximumGroupSize))
                queue.pending.removeFirst(taken.count)
                if taken.isEmpty { queue.draining = false }
                return taken
            }
            if group.isEmpty { return }
            do {
                let acknowledgements = try pool.write { db in group.map { $0.run(db) } }
                for acknowledge in acknowledgements { acknowledge() }
            } catch {
                for pending in group { pending.fail(error) }
            }
        }
    }
}
