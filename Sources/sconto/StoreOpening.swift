import ArgumentParser
import Logging
import PostgresStorage
import SQLiteStorage
import Storage

/// The database a `--database` URL names: `sqlite:PATH` (embedded SQLite) or
/// `postgres://user:password@host:port/database` (`postgresql://` too, `?sslmode=disable` accepted).
enum StoreURL {
    static let help = """
        Database URL: sqlite:PATH (embedded SQLite) or postgres://user:password@host:port/database (PostgreSQL). \
        Env: SCONTO_DATABASE.
        """

    /// Refuses a URL that names no backend, or a malformed PostgreSQL URL, before anything starts.
    static func validate(_ url: String) throws {
        if url.hasPrefix("sqlite:") { return }
        guard PostgresConnectionURL.isPostgres(url) else {
            throw ValidationError("--database must be sqlite:PATH or postgres://user:password@host:port/database")
        }
        do {
            _ = try PostgresConnectionURL(parsing: url)
        } catch let error as PostgresConnectionURL.Invalid {
            throw ValidationError("--database: \(error.description)")
        }
    }

    /// Opens (and migrates) the store.
    /// - Parameter durability: SQLite's (PostgreSQL's is the server's `synchronous_commit`).
    static func open(_ url: String, durability: SQLiteDurability = .full, logger: Logger) async throws -> any Store {
        try validate(url)
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            logger.info("opening SQLite database", metadata: ["path": .string(path), "sync": .string(durability.rawValue)])
            return try SQLiteStore(path: path, durability: durability)
        }
        let configuration = try PostgresConnectionURL(parsing: url)
        logger.info("opening PostgreSQL database", metadata: [
            "host": .string(configuration.host), "port": .stringConvertible(configuration.port),
            "database": .string(configuration.database),
        ])
        return try await PostgresStore.open(configuration, logger: logger)
    }
}
