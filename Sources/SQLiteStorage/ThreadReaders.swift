import Foundation
import GRDB

/// Read transactions run on the calling thread, for the Integration API's hot path.
///
/// GRDB's `async` read hands each read to a reader's dispatch queue and resumes the task afterwards: two
/// thread hand-offs per read, which on a 2-core box cost more than the read itself (a session update went from
/// ~1,000 to ~1,300–1,500 req/s without them). A synchronous read on GRDB's own pool is not safe from a Swift
/// concurrency thread: its readers are also held by `async` reads across suspensions, so blocked cooperative
/// threads can wait for readers that only a cooperative thread can release (seen: the server froze while seeding).
/// These readers are a separate read-only pool on the same file that is only ever used synchronously, so a reader
/// is always released by the thread that took it; with more readers than the cooperative pool has threads, a
/// read never waits for one. WAL gives each read its own consistent snapshot, as before.
final class ThreadReaders: Sendable {
    private let pool: DatabasePool

    init(path: String, configuration: Configuration) throws {
        var readOnly = configuration
        readOnly.readonly = true
        readOnly.maximumReaderCount = max(8, 2 * ProcessInfo.processInfo.activeProcessorCount)
        pool = try DatabasePool(path: path, configuration: readOnly)
    }

    /// One read transaction, on this thread. Short reads only: it blocks the calling thread while it runs.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }
}
