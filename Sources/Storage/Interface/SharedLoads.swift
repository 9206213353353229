/// Joins concurrent loads of one key into one: the first caller loads, callers that arrive while it runs
/// await its result, so a cache miss under load compiles once instead of once per request.
///
/// Loads are also keyed by ``ConfigurationChanges/current``: a caller that saw a newer change never joins a
/// load that began before it.
public actor SharedLoads<Key: Hashable & Sendable, Value: Sendable> {
    private struct Flight: Hashable {
        var key: Key
        var change: Int
    }

    private var running: [Flight: Task<Value, any Error>] = [:]

    public init() {}

    public func value(for key: Key, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let flight = Flight(key: key, change: ConfigurationChanges.current)
        if let task = running[flight] { return try await task.value }
        let task = Task { try await load() }
        running[flight] = task
        defer { running[flight] = nil }
        return try await task.value
    }
}
