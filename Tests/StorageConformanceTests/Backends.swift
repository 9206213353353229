import Foundation
import SQLiteStorage
import Storage

/// A storage backend under test. Every conformance test runs against each of ``Backends/all``; a new backend
/// (PostgreSQL) adds its factory there and nothing else.
protocol StoreBackend: Sendable, CustomStringConvertible {
    /// A fresh, empty database.
    func makeDatabase() throws -> any StoreDatabase
}

/// One database; each `open()` is another independent store on it (its own connections, as a second node).
protocol StoreDatabase: Sendable {
    func open() throws -> any Store
}

enum Backends {
    static let all: [any StoreBackend] = [SQLiteBackend()]
}

struct SQLiteBackend: StoreBackend {
    var description: String { "SQLite" }

    func makeDatabase() throws -> any StoreDatabase {
        SQLiteDatabase(path: FileManager.default.temporaryDirectory
            .appendingPathComponent("sconto-conformance-\(UUID().uuidString).sqlite").path)
    }
}

struct SQLiteDatabase: StoreDatabase {
    let path: String

    func open() throws -> any Store { try SQLiteStore(path: path) }
}
