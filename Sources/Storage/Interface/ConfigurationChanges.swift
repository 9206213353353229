import Foundation
import Synchronization

/// A process-local count of configuration changes (applications, campaigns, rulesets, attributes, keys,
/// IP allowlists): this node's commits move it at once, other nodes' within a poll of the cluster-wide
/// revision (``ConfigurationRevisionStore``, polled by Services' `ConfigurationWatch`).
///
/// In-memory caches on the hot path check the store again as soon as this moves.
public enum ConfigurationChanges {
    private static let counter = Atomic<Int>(0)

    /// How long a cache may serve what it read before it checks the store again even if nothing moved:
    /// a backstop for when the revision cannot be polled (the watch's interval, 200 ms, is the usual bound).
    public static let maximumStaleness: TimeInterval = 1

    public static var current: Int { counter.load(ordering: .acquiring) }

    public static func record() { counter.add(1, ordering: .releasing) }
}

/// When a cached value must be checked against the store again: after a local change, or when the
/// staleness window has passed.
public struct CacheFreshness: Sendable {
    private var checked = Date.distantPast
    private var change = -1

    public init() {}

    public var needsCheck: Bool {
        change != ConfigurationChanges.current
            || Date().timeIntervalSince(checked) > ConfigurationChanges.maximumStaleness
    }

    public mutating func markChecked() {
        checked = Date()
        change = ConfigurationChanges.current
    }
}
