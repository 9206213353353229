import Foundation
import Synchronization

/// Counts failed logins per account (the email as typed, so unknown emails behave the same) and per
/// client address, and says how long a caller must wait.
///
/// After `maxFailures` failures in a row an account is locked for `lockout`; every further failure
/// doubles the wait (capped at a day). The address counter works the same with its own limit, so one
/// client cannot spread guesses over many accounts. Failures older than `memory` are forgotten.
public final class LoginThrottle: Sendable {
    public struct Policy: Sendable {
        public var maxFailuresPerAccount: Int
        public var maxFailuresPerAddress: Int
        public var lockout: TimeInterval
        public var memory: TimeInterval

        public init(maxFailuresPerAccount: Int = 20, maxFailuresPerAddress: Int = 100, lockout: TimeInterval = 60,
                    memory: TimeInterval = 3600) {
            self.maxFailuresPerAccount = maxFailuresPerAccount
            self.maxFailuresPerAddress = maxFailuresPerAddress
            self.lockout = lockout
            self.memory = memory
        }
    }

    private enum Key: Hashable { case account(String), address(String) }

    private struct Entry {
        var failures = 0
        var lastFailure = Date.distantPast
        var lockedUntil = Date.distantPast
    }

    private let policy: Policy
    private let entries = Mutex<[Key: Entry]>([:])
    /// Bounds memory under a flood of distinct emails; forgotten entries only make the limit lenient.
    private static let maxEntries = 100_000

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Seconds until the account or the address may try again, or nil when it may try now.
    public func retryAfter(email: String, address: String, now: Date) -> TimeInterval? {
        let keys = [Key.account(email.lowercased()), Key.address(address)]
        let waits = entries.withLock { entries in
            keys.compactMap { key -> TimeInterval? in
                guard let entry = entries[key], entry.lockedUntil > now else { return nil }
                return entry.lockedUntil.timeIntervalSince(now)
            }
        }
        return waits.max()
    }

    public func recordFailure(email: String, address: String, now: Date) {
        entries.withLock { entries in
            if entries.count >= Self.maxEntries {
                entries = entries.filter { now.timeIntervalSince($0.value.lastFailure) < policy.memory }
                if entries.count >= Self.maxEntries { entries.removeAll() }
            }
            fail(&entries, .account(email.lowercased()), limit: policy.maxFailuresPerAccount, now: now)
            fail(&entries, .address(address), limit: policy.maxFailuresPerAddress, now: now)
        }
    }

    /// A correct password clears the account's failures (the address keeps its count).
    public func recordSuccess(email: String) {
        _ = entries.withLock { $0.removeValue(forKey: .account(email.lowercased())) }
    }

    private func fail(_ entries: inout [Key: Entry], _ key: Key, limit: Int, now: Date) {
        var entry = entries[key] ?? Entry()
        if now.timeIntervalSince(entry.lastFailure) > policy.memory { entry = Entry() }
        entry.failures += 1
        entry.lastFailure = now
        if entry.failures >= limit {
            let doublings = Double(min(entry.failures - limit, 20))
            entry.lockedUntil = now.addingTimeInterval(min(policy.lockout * pow(2, doublings), 86400))
        }
        entries[key] = entry
    }
}
