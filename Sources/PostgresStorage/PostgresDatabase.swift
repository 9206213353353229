import Foundation
import Logging
import PostgresNIO
import Storage

/// A value a statement binds: the column types the PostgreSQL schema uses (BIGINT, TEXT, DOUBLE PRECISION,
/// BOOLEAN, TIMESTAMPTZ). `nil` binds NULL, whose type PostgreSQL infers from where it is used.
protocol SQLBindable: Sendable {
    func bind(into bindings: inout PostgresBindings)
}

extension Int64: SQLBindable {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Int: SQLBindable {
    func bind(into bindings: inout PostgresBindings) { bindings.append(Int64(self)) }
}

extension String: SQLBindable {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Double: SQLBindable {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Bool: SQLBindable {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

/// A TEXT[] (`= ANY(?)`: one statement whatever the list's length).
extension [String]: SQLBindable {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

/// A BIGINT[] (`= ANY(?)`; a wrapper, as `[String]` holds the one conformance arrays may have).
struct BigIntList: SQLBindable {
    let values: [Int64]
    init(_ values: [Int64]) { self.values = values }
    func bind(into bindings: inout PostgresBindings) { bindings.append(values) }
}

extension Date: SQLBindable {
    /// Times are written at the millisecond precision every backend keeps (`Date.storagePrecision`).
    func bind(into bindings: inout PostgresBindings) { bindings.append(storagePrecision) }
}

typealias SQLArguments = [(any SQLBindable)?]

/// One transaction on one leased connection: the statements of one store method.
///
/// Statements are written with SQLite-style placeholders (`?` in order, or `?N`), turned into `$N` here, so
/// that the two backends' SQL reads alike.
final class Database {
    let connection: PostgresConnection
    let logger: Logger
    /// Set by a statement that changes configuration (campaigns, keys, attributes): after the commit the
    /// process-local caches are told (`ConfigurationChanges`).
    var changesConfiguration = false

    /// The transaction's `BEGIN`, sent with the first statement: a method that finds all it needs in a cache
    /// runs no statement, and then costs no round trip either.
    private var pendingBegin: String?
    /// Whether `BEGIN` went out, so the transaction needs its `COMMIT` or `ROLLBACK`.
    private(set) var began = false

    init(connection: PostgresConnection, logger: Logger, begin: String? = nil) {
        self.connection = connection
        self.logger = logger
        pendingBegin = begin
    }

    /// Runs a statement and returns its rows.
    func rows(_ sql: String, _ arguments: SQLArguments = []) async throws -> [Row] {
        if let begin = pendingBegin {
            pendingBegin = nil
            began = true
            _ = try await statement(begin)
        }
        return try await statement(sql, arguments)
    }

    private func statement(_ sql: String, _ arguments: SQLArguments = []) async throws -> [Row] {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            if let argument { argument.bind(into: &bindings) } else { bindings.appendNull() }
        }
        let query = PostgresQuery(unsafeSQL: Self.numberedPlaceholders(sql), binds: bindings)
        var rows: [Row] = []
        for try await row in try await connection.query(query, logger: logger) {
            rows.append(Row(raw: row.makeRandomAccess()))
        }
        return rows
    }

    func row(_ sql: String, _ arguments: SQLArguments = []) async throws -> Row? {
        try await rows(sql, arguments).first
    }

    func execute(_ sql: String, _ arguments: SQLArguments = []) async throws {
        _ = try await rows(sql, arguments)
    }

    /// Runs a statement written with `RETURNING`, and returns how many rows it touched.
    func changes(_ sql: String, _ arguments: SQLArguments = []) async throws -> Int {
        try await rows(sql, arguments).count
    }

    /// The first column of the first row.
    func value<T: PostgresDecodable>(_ type: T.Type, _ sql: String, _ arguments: SQLArguments = []) async throws -> T? {
        guard let cell = try await row(sql, arguments)?.raw[0], cell.bytes != nil else { return nil }
        return try cell.decode(T.self)
    }

    func values<T: PostgresDecodable>(_ type: T.Type, _ sql: String, _ arguments: SQLArguments = []) async throws
        -> [T]
    {
        try await rows(sql, arguments).map { try $0.raw[0].decode(T.self) }
    }

    /// `?` → `$1, $2, …` in order, `?N` → `$N`; text inside single quotes is left alone.
    static func numberedPlaceholders(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var next = 1
        var quoted = false
        var characters = sql.makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            if character == "'" { quoted.toggle() }
            guard character == "?", !quoted else {
                result.append(character)
                continue
            }
            var digits = ""
            while let digit = pending, digit.isASCII, digit.isNumber {
                digits.append(digit)
                pending = characters.next()
            }
            if digits.isEmpty {
                result += "$\(next)"
                next += 1
            } else {
                result += "$" + digits
            }
        }
        return result
    }
}

/// A result row, read by column name.
struct Row {
    let raw: PostgresRandomAccessRow

    subscript<T: PostgresDecodable>(_ column: String) -> T {
        get throws { try raw[column].decode(T.self) }
    }

    /// A stored time, at the millisecond precision every backend keeps.
    func date(_ column: String) throws -> Date {
        try (self[column] as Date).storagePrecision
    }

    func optionalDate(_ column: String) throws -> Date? {
        try (self[column] as Date?)?.storagePrecision
    }
}

/// What PostgreSQL reports, by SQLSTATE.
enum SQLState {
    static func of(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    static func isUniqueViolation(_ error: any Error) -> Bool { of(error) == "23505" }

    /// Serialization failures and deadlocks: the transaction did nothing and may simply run again.
    static func isRetryable(_ error: any Error) -> Bool {
        let state = of(error)
        return state == "40001" || state == "40P01"
    }
}
