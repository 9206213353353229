import Foundation
import PromotionEngine
import SQLiteStorage
import Storage
import Testing

/// The hot path reads on the calling thread (`ThreadReaders`); everything else reads through GRDB's `async` API.
/// Mixed under load, they must never wait for each other: a synchronous read on GRDB's shared reader pool froze
/// the server (cooperative threads blocked on readers that only a cooperative thread could release).
@Suite struct ThreadReadersTests {
    @Test func hotPathReadsAndAsyncReadsMixedUnderLoadAllFinish() async throws {
        let store = try SQLiteStore(path: temporaryDatabasePath())
        _ = try await store.bootstrapAccount(adminEmail: "a@x", adminName: "A", passwordHash: "h", now: Date())
        let application = try await store.createApplication(
            accountId: 1, settings: .init(name: "shop", timezone: "UTC", currency: "EUR"), now: Date()
        )
        // A watchdog outside Swift concurrency: if the reads deadlock, no task could report it.
        let finished = DispatchSemaphore(value: 0)
        Thread {
            if finished.wait(timeout: .now() + 60) == .timedOut {
                fatalError("hot-path and async reads did not finish within 60 s: a reader deadlock")
            }
        }.start()
        let snapshots = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<400 {
                group.addTask {
                    if i.isMultiple(of: 2) {
                        let snapshot = try await store.sessionSnapshot(
                            applicationId: application.id, sessionId: "s\(i)", profileId: "p\(i)",
                            normalizedCouponCodes: ["C\(i)"], countersOf: [], periodKeys: []
                        )
                        return snapshot.session == nil
                    }
                    _ = try await store.session(applicationId: application.id, sessionId: "s\(i)")
                    _ = try await store.applications(accountId: 1, page: PageRequest())
                    return false
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        finished.signal()
        #expect(snapshots == 200)
    }
}
