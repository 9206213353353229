import Synchronization

/// A small in-memory cache for the hot path whose entries are re-read after a local configuration change
/// or once they are older than `ConfigurationChanges.maximumStaleness` (see ``CacheFreshness``).
public final class FreshCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: (value: Value, freshness: CacheFreshness)]>([:])
    private let capacity: Int

    public init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The cached value if still fresh, else `load()`'s (cached; nil results are not cached).
    public func value(for key: Key, load: () async throws -> Value?) async rethrows -> Value? {
        if let cached = entries.withLock({ $0[key] }), !cached.freshness.needsCheck { return cached.value }
        guard let value = try await load() else {
            entries.withLock { _ = $0.removeValue(forKey: key) }
            return nil
        }
        var freshness = CacheFreshness()
        freshness.markChecked()
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (value, freshness)
        }
        return value
    }
}
