import Foundation

/// Where a ``PostgresStore`` connects: parsed from `postgres://user:password@host:port/database?sslmode=disable`
/// (`postgresql://` too). `sslmode` means what it means to libpq: `disable`, `prefer`, `require` (encrypted, the
/// server's certificate not checked), `verify-ca` (signed by a trusted authority), `verify-full` (and issued for
/// the host); `sslrootcert=/path/ca.pem` names the authorities to trust instead of the system's.
public struct PostgresConnectionURL: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// The schema every connection works in (`search_path`); nil: the server's default.
    public var schema: String?
    public var maximumConnections = 20
    public var tls = TLSMode.disable
    /// How long opening a store waits for the server before it gives up (`connect_timeout`, seconds).
    public var connectTimeout = Duration.seconds(30)
    /// PEM file of the certificate authorities to trust (`sslrootcert`); nil: the system's.
    public var rootCertificatePath: String?

    public enum TLSMode: String, Sendable, Hashable {
        case disable, prefer, require
        case verifyAuthority = "verify-ca"
        case verifyFull = "verify-full"
    }

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
            case ("sslmode", let mode):
                guard let tls = TLSMode(rawValue: mode) else {
                    throw Invalid(description: "sslmode must be disable, prefer, require, verify-ca or verify-full: \(mode)")
                }
                self.tls = tls
            case ("sslrootcert", let path) where !path.isEmpty: rootCertificatePath = path
            case ("connect_timeout", let value):
                guard let seconds = Int(value), seconds > 0 else {
                    throw Invalid(description: "connect_timeout must be a positive number of seconds: \(value)")
                }
                connectTimeout = .seconds(seconds)
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
