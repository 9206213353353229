import Foundation

/// Where a ``PostgresStore`` connects: parsed from `postgres://user:password@host:port/database?sslmode=disable`
/// (`postgresql://` too).
public struct PostgresConnectionURL: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// The schema every connection works in (`search_path`); nil: the server's default.
    public var schema: String?
    public var maximumConnections = 20

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(host: String, port: Int = 5432, username: String, password: String?, database: String,
                schema: String? = nil)
    {
        (self.host, self.port, self.username, self.password, self.database, self.schema) =
            (host, port, username, password, database, schema)
    }

    /// Whether `text` names a PostgreSQL database (rather than another backend).
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(parsing text: String) throws {
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw Invalid(description: "not a PostgreSQL URL (postgres://user:password@host:port/database): \(text)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw Invalid(description: "the PostgreSQL URL names no host: \(text)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw Invalid(description: "the PostgreSQL URL names no user: \(text)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw Invalid(description: "the PostgreSQL URL names no database (…/database): \(text)")
        }
        self.init(host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
                  password: components.password.map { $0.removingPercentEncoding ?? $0 }, database: database)
        for item in components.queryItems ?? [] {
            switch (item.name, item.value ?? "") {
            case ("sslmode", "disable"): break
            case ("sslmode", let mode):
                throw Invalid(description: "sslmode=\(mode) is not supported yet; use sslmode=disable")
            case ("schema", let schema) where !schema.isEmpty: self.schema = schema
            case ("pool_max_conns", let value):
                guard let count = Int(value), count > 0 else {
                    throw Invalid(description: "pool_max_conns must be a positive number: \(value)")
                }
                maximumConnections = count
            default:
                throw Invalid(description: "unknown PostgreSQL URL parameter \(item.name)")
            }
        }
    }
}
