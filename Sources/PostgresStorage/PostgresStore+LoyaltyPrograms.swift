import Foundation
import PromotionEngine
import Storage

extension PostgresStore {
    public func createLoyaltyProgram(accountId: Int64, settings: LoyaltyProgramSettings, now: Date) async throws
        -> LoyaltyProgram
    {
        let json = try StoredJSON.encode(settings)
        return try await write { db in
            try await Self.checkApplications(db, settings.subscribedApplications, accountId: accountId)
            let id = try await Self.mappingUniqueViolation(
                to: .conflict("a loyalty program named \(settings.name) exists")
            ) {
                try await db.value(Int64.self, """
                    INSERT INTO loyalty_program (account_id, name, settings, created) VALUES (?, ?, ?, ?) RETURNING id
                    """, [accountId, settings.name, json, now])
            }
            let program = LoyaltyProgram(id: id ?? 0, accountId: accountId, created: now, settings: settings)
            try await Self.subscribe(db, program)
            return program
        }
    }

    public func loyaltyPrograms(accountId: Int64) async throws -> [LoyaltyProgram] {
        try await read { db in
            try await db.rows("SELECT * FROM loyalty_program WHERE account_id = ? ORDER BY id", [accountId])
                .map(Self.loyaltyProgram(from:))
        }
    }

    public func loyaltyProgram(id: Int64, accountId: Int64) async throws -> LoyaltyProgram {
        try await read { db in try await Self.loyaltyProgram(db, id: id, accountId: accountId) }
    }

    public func updateLoyaltyProgram(id: Int64, accountId: Int64, settings: LoyaltyProgramSettings) async throws
        -> LoyaltyProgram
    {
        try await write { db in
            var program = try await Self.loyaltyProgram(db, id: id, accountId: accountId, locking: true)
            try await Self.checkApplications(db, settings.subscribedApplications, accountId: accountId)
            var settings = settings
            settings.name = program.settings.name  // immutable
            try await db.execute("UPDATE loyalty_program SET settings = ? WHERE id = ?",
                                 [try StoredJSON.encode(settings), id])
            program.settings = settings
            try await Self.subscribe(db, program)
            return program
        }
    }

    public func deleteLoyaltyProgram(id: Int64, accountId: Int64) async throws {
        try await write { db in
            let deleted = try await db.changes(
                "DELETE FROM loyalty_program WHERE id = ? AND account_id = ? RETURNING id", [id, accountId]
            )
            if deleted == 0 { throw StoreError.notFound(entity: "loyalty program") }
        }
    }

    /// `locking`: the row is held until the transaction ends (an update, so two updates do not interleave).
    static func loyaltyProgram(_ db: Database, id: Int64, accountId: Int64? = nil, locking: Bool = false) async throws
        -> LoyaltyProgram
    {
        let row = try await db.row("SELECT * FROM loyalty_program WHERE id = ?\(locking ? " FOR UPDATE" : "")", [id])
        guard let row, try accountId == nil || row["account_id"] as Int64 == accountId else {
            throw StoreError.notFound(entity: "loyalty program")
        }
        return try loyaltyProgram(from: row)
    }

    static func loyaltyProgram(from row: Row) throws -> LoyaltyProgram {
        LoyaltyProgram(id: try row["id"], accountId: try row["account_id"], created: try row.date("created"),
                       settings: try StoredJSON.decode(LoyaltyProgramSettings.self, from: try row["settings"]))
    }

    /// Subscribed applications must be the account's own.
    private static func checkApplications(_ db: Database, _ ids: [Int64], accountId: Int64) async throws {
        for (index, id) in ids.enumerated() {
            let owner = try await db.value(Int64.self, "SELECT account_id FROM application WHERE id = ?", [id])
            guard owner == accountId else {
                throw ValidationFailure([.init(pointer: "/subscribedApplications/\(index)",
                                               message: "there is no application \(id)")])
            }
        }
    }

    private static func subscribe(_ db: Database, _ program: LoyaltyProgram) async throws {
        try await db.execute("DELETE FROM loyalty_program_application WHERE program_id = ?", [program.id])
        for applicationId in Set(program.settings.subscribedApplications).sorted() {
            try await db.execute("INSERT INTO loyalty_program_application (application_id, program_id) VALUES (?, ?)",
                                 [applicationId, program.id])
        }
    }
}
