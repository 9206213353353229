import Foundation
import GRDB
@testable import SQLiteStorage
import Testing

/// SQLite's group commit: concurrent writes share transactions, yet each one succeeds or fails on its own.
@Suite struct GroupCommitTests {
    @Test(arguments: [true, false]) func aFailingWriteRollsBackAloneAndItsNeighboursCommit(_ grouped: Bool) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("group-\(UUID().uuidString).sqlite").path
        let store = try SQLiteStore(path: path, durability: .full, groupCommit: grouped)
        try await store.pool.write { db in try db.execute(sql: "CREATE TABLE written (n INTEGER PRIMARY KEY)") }
        struct Refused: Error {}
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for n in 0..<90 {
                group.addTask {
                    do {
                        let echoed = try await store.integrationWrites.write { db in
                            try db.execute(sql: "INSERT INTO written (n) VALUES (?)", arguments: [n])
                            if n % 3 == 0 { throw Refused() }  // after its insert: the savepoint must undo it
                            return n
                        }
                        return (echoed, true)
                    } catch {
                        return (n, false)
                    }
                }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.count == 90)
        #expect(outcomes.filter(\.value).keys.sorted() == (0..<90).filter { $0 % 3 != 0 })
        let stored = try await store.pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM written ORDER BY n") }
        #expect(stored == (0..<90).filter { $0 % 3 != 0 })
    }

    @Test func durabilityIsTheSynchronousPragma() async throws {
        for (durability, expected) in [(SQLiteDurability.full, 2), (.normal, 1)] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString).sqlite").path
            let store = try SQLiteStore(path: path, durability: durability)
            #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == expected)
        }
    }
}
