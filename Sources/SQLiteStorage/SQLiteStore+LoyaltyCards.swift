import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: LoyaltyCardStore {
    public func createLoyaltyCard(programId: Int64, identifier: String, status: String, profileIds: [String],
                                  now: Date) async throws -> LoyaltyCard
    {
        try await pool.write { db in
            let program = try Self.loyaltyProgram(db, id: programId)
            try Self.mappingConstraints("a loyalty card \(identifier) exists in this program") {
                try db.execute(sql: "INSERT INTO loyalty_card (program_id, identifier, status, created) VALUES (?, ?, ?, ?)",
                               arguments: [programId, identifier, status, now])
            }
            let cardId = db.lastInsertedRowID
            for profileId in profileIds { try Self.link(db, cardId: cardId, program: program, profileId: profileId, now: now) }
            return try Self.loyaltyCard(db, programId: programId, identifier: identifier)
        }
    }

    public func loyaltyCard(programId: Int64, identifier: String) async throws -> LoyaltyCard {
        try await pool.read { db in try Self.loyaltyCard(db, programId: programId, identifier: identifier) }
    }

    public func linkLoyaltyCard(programId: Int64, identifier: String, profileId: String, now: Date) async throws
        -> LoyaltyCard
    {
        try await pool.write { db in
            let card = try Self.loyaltyCard(db, programId: programId, identifier: identifier)
            try Self.link(db, cardId: card.id, program: try Self.loyaltyProgram(db, id: programId), profileId: profileId,
                          now: now)
            return try Self.loyaltyCard(db, programId: programId, identifier: identifier)
        }
    }

    public func unlinkLoyaltyCard(programId: Int64, identifier: String, profileId: String) async throws -> LoyaltyCard {
        try await pool.write { db in
            let card = try Self.loyaltyCard(db, programId: programId, identifier: identifier)
            try db.execute(sql: "DELETE FROM loyalty_card_profile WHERE card_id = ? AND profile_integration_id = ?",
                           arguments: [card.id, profileId])
            if db.changesCount == 0 { throw StoreError.notFound(entity: "profile linked to this card") }
            try db.execute(sql: "UPDATE loyalty_card SET linked_profiles = linked_profiles - 1 WHERE id = ?",
                           arguments: [card.id])
            return try Self.loyaltyCard(db, programId: programId, identifier: identifier)
        }
    }

    /// Links a profile once; within the program's limit (0 or none: no limit), guarded by the card's
    /// `linked_profiles` counter in one conditional update (a full card throws and the link is rolled back).
    static func link(_ db: Database, cardId: Int64, program: LoyaltyProgram, profileId: String, now: Date)
        throws
    {
        try db.execute(sql: """
            INSERT INTO loyalty_card_profile (card_id, profile_integration_id, linked) VALUES (?, ?, ?)
            ON CONFLICT (card_id, profile_integration_id) DO NOTHING
            """, arguments: [cardId, profileId, now])
        guard db.changesCount == 1 else { return }  // Linked already.
        let limit = program.settings.usersPerCardLimit ?? 0
        try db.execute(sql: """
            UPDATE loyalty_card SET linked_profiles = linked_profiles + 1
            WHERE id = ? AND (? = 0 OR linked_profiles < ?)
            """, arguments: [cardId, limit, limit])
        if db.changesCount == 0 { throw LoyaltyCardFull(limit: limit) }
    }

    static func loyaltyCard(_ db: Database, programId: Int64, identifier: String) throws -> LoyaltyCard {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM loyalty_card WHERE program_id = ? AND identifier = ?",
                                         arguments: [programId, identifier])
        else { throw StoreError.notFound(entity: "loyalty card") }
        return try loyaltyCard(db, row: row)
    }

    static func loyaltyCard(_ db: Database, row: Row) throws -> LoyaltyCard {
        let profiles = try Row.fetchAll(db, sql: """
            SELECT profile_integration_id, linked FROM loyalty_card_profile WHERE card_id = ?
            ORDER BY linked, profile_integration_id
            """, arguments: [row["id"]]).map { (integrationId: $0["profile_integration_id"] as String, linked: $0.date("linked")) }
        var card = LoyaltyCard(id: row["id"], programId: row["program_id"], identifier: row["identifier"],
                               status: row["status"], created: row.date("created"), profiles: profiles)
        (card.blockReason, card.batchId, card.modified) = (row["block_reason"], row["batch_id"], row.optionalDate("modified"))
        (card.oldCardIdentifier, card.newCardIdentifier) = (row["old_card_identifier"], row["new_card_identifier"])
        return card
    }
}
