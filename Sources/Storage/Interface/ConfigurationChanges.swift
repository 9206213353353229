import Foundation
import Synchronization

/// A process-local count of committed configuration changes (applications, campaigns, rulesets,
/// attributes, keys).
///
/// In-memory caches on the hot path re-read the store as soon as this moves; changes made on another
/// node reach them through their short revision check interval instead (``ConfigurationChanges/maximumStaleness``).
public enum ConfigurationChanges {
    private static let counter = Atomic<Int>(0)

    /// How long a cache may serve what it read before it checks the store again.
    public static let maximumStaleness: TimeInterval = 0.1

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
