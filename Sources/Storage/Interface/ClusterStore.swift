import Foundation

/// The cluster-wide count of configuration changes (applications, campaigns, rulesets, attributes, keys,
/// account security), moved in the same transaction as each such write, so every node can tell with one
/// cheap read whether its caches are stale.
///
/// Nodes poll it (``ConfigurationWatch`` in Services); a PostgreSQL backend can move it by trigger and
/// `pg_notify` in the same transaction so that nodes are told instead of asking.
public protocol ConfigurationRevisionStore: Sendable {
    func configurationRevision() async throws -> Int64
    /// Every application's id, to compile their campaigns before a node reports ready.
    func allApplicationIds() async throws -> [Int64]
}

/// Account-wide security settings that are not users or keys.
public protocol AccountSecurityStore: Sendable {
    /// The CIDR blocks allowed to call the APIs and the UI for the account; empty allows every address.
    func ipAllowlist(accountId: Int64) async throws -> [String]
    /// Replaces the list (a configuration change: it moves the configuration revision).
    func setIPAllowlist(accountId: Int64, cidrs: [String]) async throws
}

/// Named leases that let one node of a cluster do a periodic task that must not run on every node.
public protocol LeaseStore: Sendable {
    /// Takes the lease `name` for `holder` until `until` when it is free (never taken, or expired at `now`),
    /// or renews it when `holder` already has it; answers whether `holder` has it now. One statement, so
    /// two nodes asking at once never both get it.
    func acquireLease(name: String, holder: String, now: Date, until: Date) async throws -> Bool
}
