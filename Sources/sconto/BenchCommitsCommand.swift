import ArgumentParser
import Foundation
import PromotionEngine
import SQLiteStorage
import Storage

/// `sconto bench-commits`: the storage layer's session commits per second, in process, on a fresh SQLite file —
/// the figure behind `--sync` and group commit in docs/PERFORMANCE.md (no HTTP, no engine: the commit alone).
struct BenchCommitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-commits", abstract: "Measure in-process session commits per second on SQLite.",
        shouldDisplay: false
    )

    @Option(help: "full or normal") var sync = "full"
    @Option(help: "on or off") var groupCommit = "on"
    @Option(help: "Commits in flight at once.") var concurrency = 32
    @Option(help: "Commits to write.") var commits = 20_000
    @Option(help: "Directory for the throwaway database.") var directory = NSTemporaryDirectory()

    func validate() throws {
        guard SQLiteDurability(rawValue: sync) != nil else { throw ValidationError("--sync must be full or normal") }
        guard ["on", "off"].contains(groupCommit) else { throw ValidationError("--group-commit must be on or off") }
        guard concurrency > 0, commits > 0 else { throw ValidationError("--concurrency and --commits must be positive") }
    }

    func run() async throws {
        let path = (directory as NSString).appendingPathComponent("bench-commits-\(UUID().uuidString).sqlite")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteStore(path: path, durability: SQLiteDurability(rawValue: sync) ?? .full,
                                    groupCommit: groupCommit == "on")
        _ = try await store.bootstrapAccount(adminEmail: "bench@localhost", adminName: "Bench", passwordHash: "-",
                                            now: Date())
        let application = try await store.createApplication(
            accountId: 1, settings: ApplicationSettings(name: "bench", timezone: "UTC", currency: "EUR"), now: Date()
        )
        let total = commits
        let workers = concurrency
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    for index in stride(from: worker, to: total, by: workers) {
                        _ = try await store.commitSession(Self.close(index, applicationId: application.id))
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        print("""
            bench-commits: sync=\(sync) group-commit=\(groupCommit) concurrency=\(concurrency) \
            commits=\(total) seconds=\(String(format: "%.2f", seconds)) \
            commits/s=\(Int((Double(total) / seconds).rounded()))
            """)
    }

    /// A new session closed by a profile, with its close ledger, profile counters and event: a close's rows. From
    /// the second round of profiles on, the profile comes as a snapshot would have read it, as on the session path.
    private static func close(_ index: Int, applicationId: Int64) -> SessionCommit {
        let now = Date()
        let sessionId = "bench-\(index)"
        let profileId = "profile-\(index % 1000)"
        let session = CustomerSession(integrationId: sessionId, applicationId: applicationId, profileId: profileId,
                                      state: .closed, updateCount: 1, created: now, updated: now)
        let ledger = CloseLedger(acceptedCoupons: [], discountsByCampaign: [:], campaignCounters: [], total: 10,
                                 profileId: profileId, periodKeys: [])
        var profile = ProfileChange(integrationId: profileId, closedSessionsDelta: 1, totalSalesDelta: 10, now: now)
        if index >= 1000 {
            profile.asRead = CustomerProfile(integrationId: profileId, accountId: 1, applicationId: applicationId,
                                             created: now, lastActivity: now)
        }
        return SessionCommit(
            session: session, expectedUpdateCount: nil, effects: [], closeLedger: .set(ledger), profile: profile,
            redeemCouponIds: [], returnCouponIds: [],
            event: SessionEvent(applicationId: applicationId, type: .sessionClosed, sessionId: sessionId,
                                profileId: profileId, effects: [], created: now)
        )
    }
}
