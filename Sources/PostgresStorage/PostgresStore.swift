import Foundation
import Logging
import PostgresNIO
import Storage

/// ``Store`` on PostgreSQL, through postgres-nio's connection pool (`PostgresClient`).
///
/// Every public method is one transaction on one leased connection: writes at READ COMMITTED, where each guard is
/// one conditional statement judged by the rows it returns; reads at REPEATABLE READ, one consistent snapshot.
/// Several nodes may share one database: migrations run once under an advisory lock, and session and profile
/// writes lock their rows.
public final class PostgresStore: Store, Sendable {
    let client: PostgresClient
    let logger: Logger
    /// The pool's background work (`PostgresClient.run()`), for as long as the store lives.
    private let runner: Task<Void, Never>

    /// How often a transaction that lost a serialization race or a deadlock is run again before its error is thrown.
    static let attempts = 4

    /// Connects to `configuration`'s database and migrates it.
    public static func open(_ configuration: PostgresConnectionURL, logger: Logger = Logger(label: "sconto.postgres"))
        async throws -> PostgresStore
    {
        let store = PostgresStore(configuration: configuration, logger: logger)
        do {
            // The pool retries a server it cannot reach without end: at startup that is an error to report.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await PostgresMigrations.migrate(store) }
                group.addTask {
                    try await Task.sleep(for: connectTimeout)
                    throw Unreachable(description: """
                        could not connect to PostgreSQL at \(configuration.host):\(configuration.port) \
                        (database \(configuration.database)) within \(connectTimeout)
                        """)
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            await store.shutdown()
            throw error
        }
        return store
    }

    /// How long opening a store waits for the server before it gives up.
    static let connectTimeout = Duration.seconds(30)

    public struct Unreachable: Error, CustomStringConvertible {
        public var description: String
    }

    private init(configuration: PostgresConnectionURL, logger: Logger) {
        var config = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: .disable
        )
        config.options.maximumConnections = configuration.maximumConnections
        if let schema = configuration.schema {
            // Every connection of the pool works in this schema (tests: one schema per test on one database).
            config.options.additionalStartupParameters = [("search_path", schema)]
        }
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        runner = Task { await client.run() }
    }

    deinit { runner.cancel() }

    /// Closes the pool's connections.
    public func shutdown() async {
        runner.cancel()
        await runner.value
    }

    public func ping() async throws {
        _ = try await read { db in try await db.value(Int.self, "SELECT 1") }
    }

    /// A read-write transaction at READ COMMITTED.
    func write<T: Sendable>(_ body: @Sendable (Database) async throws -> T) async throws -> T {
        try await transaction("BEGIN", body)
    }

    /// A read-only transaction that sees one snapshot.
    func read<T: Sendable>(_ body: @Sendable (Database) async throws -> T) async throws -> T {
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    private func transaction<T: Sendable>(_ begin: String, _ body: @Sendable (Database) async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await client.withConnection { connection in
                    try await Self.run(begin, on: connection, logger: logger, body)
                }
            } catch let error where SQLState.isRetryable(error) && attempt < Self.attempts {
                attempt += 1
            }
        }
    }

    private static func run<T: Sendable>(_ begin: String, on connection: PostgresConnection, logger: Logger,
                                         _ body: @Sendable (Database) async throws -> T) async throws -> T
    {
        let db = Database(connection: connection, logger: logger)
        try await db.execute(begin)
        let value: T
        do {
            value = try await body(db)
        } catch {
            try? await db.execute("ROLLBACK")
            throw error
        }
        try await db.execute("COMMIT")
        if db.changesConfiguration { ConfigurationChanges.record() }
        return value
    }
}

extension PostgresStore {
    /// Runs `body`, turning PostgreSQL's uniqueness violations (SQLSTATE 23505) into `error`.
    static func mappingUniqueViolation<T>(to mapped: StoreError, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error where SQLState.isUniqueViolation(error) {
            throw mapped
        }
    }
}
