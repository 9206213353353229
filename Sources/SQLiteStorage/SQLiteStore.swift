import Foundation
import GRDB
import Storage

/// ``Store`` on an embedded SQLite file, through GRDB.
///
/// A `DatabasePool` gives WAL mode: readers never block the single writer. Every public method is one
/// `read` or `write` transaction.
public final class SQLiteStore: Store, Sendable {
    let pool: DatabasePool
    /// Session and profile commits (the Integration API's writes) go through it; see ``GroupCommit``.
    let integrationWrites: GroupCommit
    /// The hot path's snapshot reads (see ``ThreadReaders``); opened after the migrations.
    let threadReaders: ThreadReaders
    public let durability: SQLiteDurability

    /// Opens (creating if needed) the database at `path` and runs pending migrations.
    /// - Parameters:
    ///   - durability: `.full` (the default) syncs the WAL at every commit, so an acknowledged write survives a
    ///     power loss; `.normal` only survives a crash of the process.
    ///   - groupCommit: writes concurrent session and profile commits in one transaction each group (one sync).
    public init(path: String, durability: SQLiteDurability = .full, groupCommit: Bool = true) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        let synchronous = durability == .full ? "FULL" : "NORMAL"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            Self.registerFunctions(db)
        }
        Self.restrictToOwner(path: path)
        pool = try DatabasePool(path: path, configuration: configuration)
        self.durability = durability
        integrationWrites = GroupCommit(pool: pool, enabled: groupCommit)
        var migrator = DatabaseMigrator()
        Migrations.register(in: &migrator)
        try migrator.migrate(pool)
        threadReaders = try ThreadReaders(path: path, configuration: configuration)
    }

    /// Creates the database file readable by its owner only (0600); SQLite gives its WAL and shared-memory
    /// files the database's mode. An existing file is tightened too: it holds customers' data and key hashes.
    static func restrictToOwner(path: String) {
        guard !path.isEmpty, path != ":memory:" else { return }
        let descriptor = open(path, O_CREAT | O_RDWR, 0o600)
        if descriptor >= 0 { close(descriptor) }
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            _ = chmod(file, 0o600)
        }
    }

    /// `sconto_decimal_sum(a, b)`: the exact sum of two decimal texts (money stored as text), so that a counter
    /// of money moves in the statement that guards or locks its row instead of a read and a second write.
    static func registerFunctions(_ db: Database) {
        db.add(function: DatabaseFunction("sconto_decimal_sum", argumentCount: 2, pure: true) { values in
            let terms = values.map { String.fromDatabaseValue($0).flatMap { Decimal(string: $0) } ?? 0 }
            return "\(terms[0] + terms[1])"
        })
    }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }
}

extension SQLiteStore {
    static func encodeJSON(_ value: some Encodable) throws -> String { try StoredJSON.encode(value) }

    static func decodeJSON<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try StoredJSON.decode(type, from: text)
    }

    static func orderClause(_ sort: SortField?, allowed: [String: String], default fallback: String) throws -> String {
        try listingOrder(sort, allowed: allowed, default: fallback)
    }

    /// Runs `body`, turning SQLite's uniqueness violations into ``StoreError/conflict(_:)``.
    static func mappingConstraints<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreError.conflict(what)
        }
    }
}

extension Row {
    /// A stored time, normalized to the millisecond precision every backend keeps (see `Date.storagePrecision`).
    func date(_ column: String) -> Date {
        (self[column] as Date).storagePrecision
    }

    func optionalDate(_ column: String) -> Date? {
        (self[column] as Date?)?.storagePrecision
    }
}
