import Foundation
import Logging
import PostgresNIO
import PostgresStorage
import SQLiteStorage
import Storage

/// A storage backend under test. Every conformance test runs against each of ``Backends/all``; a new backend
/// adds its factory there and nothing else.
protocol StoreBackend: Sendable, CustomStringConvertible {
    /// A fresh, empty database.
    func makeDatabase() async throws -> any StoreDatabase
}

/// One database; each `open()` is another independent store on it (its own connections, as a second node).
protocol StoreDatabase: Sendable {
    func open() async throws -> any Store
}

enum Backends {
    /// SQLite always; PostgreSQL when `SCONTO_TEST_POSTGRES_URL` names a server (`scripts/test` always sets it and
    /// starts a throwaway cluster; by hand, without it, the PostgreSQL cases are not run and
    /// `PostgresBackendTests` records that it is not configured).
    static let all: [any StoreBackend] = [SQLiteBackend()] + (PostgresBackend.configured.map { [$0] } ?? [])
}

struct SQLiteBackend: StoreBackend {
    var description: String { "SQLite" }

    func makeDatabase() async throws -> any StoreDatabase {
        SQLiteDatabase(path: FileManager.default.temporaryDirectory
            .appendingPathComponent("sconto-conformance-\(UUID().uuidString).sqlite").path)
    }
}

struct SQLiteDatabase: StoreDatabase {
    let path: String

    func open() async throws -> any Store { try SQLiteStore(path: path) }
}

/// PostgreSQL: each database under test is a fresh schema on the configured server, and each `open()` a
/// `PostgresStore` with its own pool working in that schema.
struct PostgresBackend: StoreBackend {
    static let environmentKey = "SCONTO_TEST_POSTGRES_URL"
    /// Schemas of this test process are named `conformance_<pid>_<uuid>`: schemas left by processes that ended are
    /// dropped before the first new one is made.
    static let prefix = "conformance_\(getpid())_"

    let url: PostgresConnectionURL
    var description: String { "PostgreSQL" }

    static var configured: PostgresBackend? {
        guard let text = ProcessInfo.processInfo.environment[environmentKey], !text.isEmpty else { return nil }
        guard let url = try? PostgresConnectionURL(parsing: text) else {
            fatalError("\(environmentKey) is not a PostgreSQL URL: \(text)")
        }
        return PostgresBackend(url: url)
    }

    func makeDatabase() async throws -> any StoreDatabase {
        let schema = Self.prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await Self.withConnection(url) { connection, logger in
            try await LeftoverSchemas.dropOnce(connection, logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"), logger: logger)
        }
        var schemaURL = url
        schemaURL.schema = schema
        // Two stores race on one schema with their own pools: keep each pool small.
        schemaURL.maximumConnections = 8
        return PostgresSchemaDatabase(url: schemaURL)
    }

    /// One short connection for administration (creating and dropping schemas).
    static func withConnection<T: Sendable>(
        _ url: PostgresConnectionURL, _ body: (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        let logger = Logger(label: "sconto.conformance")
        let configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: .disable
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            let value = try await body(connection, logger)
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

struct PostgresSchemaDatabase: StoreDatabase {
    let url: PostgresConnectionURL

    func open() async throws -> any Store { try await PostgresStore.open(url) }
}

/// Drops the schemas of test processes that are no longer running, once per process.
actor LeftoverSchemas {
    static let shared = LeftoverSchemas()
    private var done = false

    static func dropOnce(_ connection: PostgresConnection, logger: Logger) async throws {
        try await shared.drop(connection, logger: logger)
    }

    private func drop(_ connection: PostgresConnection, logger: Logger) async throws {
        guard !done else { return }
        done = true
        let rows = try await connection.query(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'conformance\\_%'", logger: logger
        )
        for try await (name) in rows.decode(String.self) {
            let parts = name.split(separator: "_")
            guard parts.count == 3, let pid = Int32(parts[1]), pid != getpid(), kill(pid, 0) != 0 else { continue }
            try await connection.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(name) CASCADE"), logger: logger)
        }
    }
}
