import Foundation
import PromotionEngine
import Storage

extension PostgresStore: LoyaltyCardStore {
    public func createLoyaltyCard(programId: Int64, identifier: String, status: String, profileIds: [String],
                                  now: Date) async throws -> LoyaltyCard
    {
        try await write { db in
            let program = try await Self.loyaltyProgram(db, id: programId)
            let cardId = try await db.value(Int64.self, """
                INSERT INTO loyalty_card (program_id, identifier, status, created) VALUES (?, ?, ?, ?)
                ON CONFLICT (program_id, identifier) DO NOTHING RETURNING id
                """, [programId, identifier, status, now])
            guard let cardId else { throw StoreError.conflict("a loyalty card \(identifier) exists in this program") }
            for profileId in profileIds {
                try await Self.link(db, cardId: cardId, program: program, profileId: profileId, now: now)
            }
            return try await Self.loyaltyCard(db, programId: programId, identifier: identifier)
        }
    }

    public func loyaltyCard(programId: Int64, identifier: String) async throws -> LoyaltyCard {
        try await read { db in try await Self.loyaltyCard(db, programId: programId, identifier: identifier) }
    }

    public func linkLoyaltyCard(programId: Int64, identifier: String, profileId: String, now: Date) async throws
        -> LoyaltyCard
    {
        try await write { db in
            let card = try await Self.loyaltyCard(db, programId: programId, identifier: identifier)
            try await Self.link(db, cardId: card.id, program: try await Self.loyaltyProgram(db, id: programId),
                                profileId: profileId, now: now)
            return try await Self.loyaltyCard(db, programId: programId, identifier: identifier)
        }
    }

    public func unlinkLoyaltyCard(programId: Int64, identifier: String, profileId: String) async throws -> LoyaltyCard {
        try await write { db in
            let card = try await Self.loyaltyCard(db, programId: programId, identifier: identifier)
            let unlinked = try await db.changes("""
                DELETE FROM loyalty_card_profile WHERE card_id = ? AND profile_integration_id = ? RETURNING card_id
                """, [card.id, profileId])
            if unlinked == 0 { throw StoreError.notFound(entity: "profile linked to this card") }
            try await db.execute("UPDATE loyalty_card SET linked_profiles = linked_profiles - 1 WHERE id = ?", [card.id])
            return try await Self.loyaltyCard(db, programId: programId, identifier: identifier)
        }
    }

    /// Links a profile once; within the program's limit (0 or none: no limit), guarded by the card's
    /// `linked_profiles` counter in one conditional update (a full card throws and the link is rolled back).
    static func link(_ db: Database, cardId: Int64, program: LoyaltyProgram, profileId: String, now: Date)
        async throws
    {
        let linked = try await db.changes("""
            INSERT INTO loyalty_card_profile (card_id, profile_integration_id, linked) VALUES (?, ?, ?)
            ON CONFLICT (card_id, profile_integration_id) DO NOTHING RETURNING card_id
            """, [cardId, profileId, now])
        guard linked == 1 else { return }  // Linked already.
        let limit = program.settings.usersPerCardLimit ?? 0
        let counted = try await db.changes("""
            UPDATE loyalty_card SET linked_profiles = linked_profiles + 1
            WHERE id = ? AND (? = 0 OR linked_profiles < ?) RETURNING id
            """, [cardId, limit, limit])
        if counted == 0 { throw LoyaltyCardFull(limit: limit) }
    }

    static func loyaltyCard(_ db: Database, programId: Int64, identifier: String) async throws -> LoyaltyCard {
        guard let row = try await db.row("SELECT * FROM loyalty_card WHERE program_id = ? AND identifier = ?",
                                         [programId, identifier])
        else { throw StoreError.notFound(entity: "loyalty card") }
        return try await loyaltyCard(db, row: row)
    }

    static func loyaltyCard(_ db: Database, row: Row) async throws -> LoyaltyCard {
        let cardId: Int64 = try row["id"]
        let profiles = try await db.rows("""
            SELECT profile_integration_id, linked FROM loyalty_card_profile WHERE card_id = ?
            ORDER BY linked, profile_integration_id
            """, [cardId]).map { (integrationId: try $0["profile_integration_id"] as String, linked: try $0.date("linked")) }
        var card = LoyaltyCard(id: cardId, programId: try row["program_id"], identifier: try row["identifier"],
                               status: try row["status"], created: try row.date("created"), profiles: profiles)
        (card.blockReason, card.batchId, card.modified) =
            (try row["block_reason"], try row["batch_id"], try row.optionalDate("modified"))
        (card.oldCardIdentifier, card.newCardIdentifier) = (try row["old_card_identifier"], try row["new_card_identifier"])
        return card
    }
}
