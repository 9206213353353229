import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore {
    public func createLoyaltyProgram(accountId: Int64, settings: LoyaltyProgramSettings, now: Date) async throws
        -> LoyaltyProgram
    {
        let json = try Self.encodeJSON(settings)
        return try await pool.write { db in
            try Self.checkApplications(db, settings.subscribedApplications, accountId: accountId)
            try Self.mappingConstraints("a loyalty program named \(settings.name) exists") {
                try db.execute(sql: "INSERT INTO loyalty_program (account_id, name, settings, created) VALUES (?, ?, ?, ?)",
                               arguments: [accountId, settings.name, json, now])
            }
            let program = LoyaltyProgram(id: db.lastInsertedRowID, accountId: accountId, created: now, settings: settings)
            try Self.subscribe(db, program)
            return program
        }
    }

    public func loyaltyPrograms(accountId: Int64) async throws -> [LoyaltyProgram] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM loyalty_program WHERE account_id = ? ORDER BY id",
                             arguments: [accountId]).map(Self.loyaltyProgram(from:))
        }
    }

    public func loyaltyProgram(id: Int64, accountId: Int64) async throws -> LoyaltyProgram {
        try await pool.read { db in try Self.loyaltyProgram(db, id: id, accountId: accountId) }
    }

    public func updateLoyaltyProgram(id: Int64, accountId: Int64, settings: LoyaltyProgramSettings) async throws
        -> LoyaltyProgram
    {
        try await pool.write { db in
            var program = try Self.loyaltyProgram(db, id: id, accountId: accountId)
            try Self.checkApplications(db, settings.subscribedApplications, accountId: accountId)
            var settings = settings
            settings.name = program.settings.name  // immutable
            try db.execute(sql: "UPDATE loyalty_program SET settings = ? WHERE id = ?",
                           arguments: [try Self.encodeJSON(settings), id])
            program.settings = settings
            try Self.subscribe(db, program)
            return program
        }
    }

    public func deleteLoyaltyProgram(id: Int64, accountId: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM loyalty_program WHERE id = ? AND account_id = ?", arguments: [id, accountId])
            if db.changesCount == 0 { throw StoreError.notFound(entity: "loyalty program") }
        }
    }

    static func loyaltyProgram(_ db: Database, id: Int64, accountId: Int64? = nil) throws -> LoyaltyProgram {
        let row = try Row.fetchOne(db, sql: "SELECT * FROM loyalty_program WHERE id = ?", arguments: [id])
        guard let row, accountId == nil || row["account_id"] == accountId else {
            throw StoreError.notFound(entity: "loyalty program")
        }
        return try loyaltyProgram(from: row)
    }

    static func loyaltyProgram(from row: Row) throws -> LoyaltyProgram {
        LoyaltyProgram(id: row["id"], accountId: row["account_id"], created: row.date("created"),
                       settings: try decodeJSON(LoyaltyProgramSettings.self, from: row["settings"]))
    }

    /// Subscribed applications must be the account's own.
    private static func checkApplications(_ db: Database, _ ids: [Int64], accountId: Int64) throws {
        for (index, id) in ids.enumerated() {
            let owner = try Int64.fetchOne(db, sql: "SELECT account_id FROM application WHERE id = ?", arguments: [id])
            guard owner == accountId else {
                throw ValidationFailure([.init(pointer: "/subscribedApplications/\(index)",
                                               message: "there is no application \(id)")])
            }
        }
    }

    private static func subscribe(_ db: Database, _ program: LoyaltyProgram) throws {
        try db.execute(sql: "DELETE FROM loyalty_program_application WHERE program_id = ?", arguments: [program.id])
        for applicationId in Set(program.settings.subscribedApplications) {
            try db.execute(sql: "INSERT INTO loyalty_program_application (application_id, program_id) VALUES (?, ?)",
                           arguments: [applicationId, program.id])
        }
    }
}
