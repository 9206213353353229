import Foundation
import PromotionEngine
import Storage

// Cards on the Management API: listed, blocked, deleted, transferred, created in batches.
extension PostgresStore {
    public func loyaltyCards(programId: Int64, filter: LoyaltyCardFilter, page: PageRequest) async throws
        -> (cards: [LoyaltyCard], hasMore: Bool)
    {
        try await read { db in
            _ = try await Self.loyaltyProgram(db, id: programId)
            var conditions = ["c.program_id = ?"]
            var arguments: SQLArguments = [programId]
            if let identifier = filter.identifier { conditions.append("c.identifier = ?"); arguments.append(identifier) }
            if let batchId = filter.batchId { conditions.append("c.batch_id = ?"); arguments.append(batchId) }
            if let profileId = filter.profileId {
                conditions.append("""
                    EXISTS (SELECT 1 FROM loyalty_card_profile p WHERE p.card_id = c.id AND p.profile_integration_id = ?)
                    """)
                arguments.append(profileId)
            }
            arguments += [page.pageSize + 1, page.skip]
            let rows = try await db.rows("""
                SELECT c.* FROM loyalty_card c WHERE \(conditions.joined(separator: " AND ")) ORDER BY c.id LIMIT ? OFFSET ?
                """, arguments)
            var cards: [LoyaltyCard] = []
            for row in rows.prefix(page.pageSize) { cards.append(try await Self.loyaltyCard(db, row: row)) }
            return (cards, rows.count > page.pageSize)
        }
    }

    public func updateLoyaltyCard(programId: Int64, identifier: String, status: String, blockReason: String?,
                                  now: Date) async throws -> LoyaltyCard
    {
        try await write { db in
            try await db.execute("""
                UPDATE loyalty_card SET status = ?, block_reason = ?, modified = ? WHERE program_id = ? AND identifier = ?
                """, [status, blockReason, now, programId, identifier])
            return try await Self.loyaltyCard(db, programId: programId, identifier: identifier)
        }
    }

    public func deleteLoyaltyCard(programId: Int64, identifier: String) async throws {
        try await write { db in
            let deleted = try await db.changes("""
                DELETE FROM loyalty_card WHERE program_id = ? AND identifier = ? RETURNING id
                """, [programId, identifier])
            guard deleted == 1 else { throw StoreError.notFound(entity: "loyalty card") }
            for table in ["loyalty_balance", "loyalty_ledger", "loyalty_membership"] {
                try await db.execute("DELETE FROM \(table) WHERE program_id = ? AND holder_kind = 'card' AND holder = ?",
                                     [programId, identifier])
            }
        }
    }

    public func transferLoyaltyCard(programId: Int64, identifier: String, newIdentifier: String, blockReason: String?,
                                    now: Date) async throws -> LoyaltyCard
    {
        try await write { db in
            let old = try await Self.loyaltyCard(db, programId: programId, identifier: identifier)
            _ = try await Self.recordDueLoyalty(db, now: now, holder: (programId, .card(identifier)))
            // The balance rows first, as every spend locks them: a spend waiting on them after the move finds
            // no row of the old card (nothing to spend); one that held them is moved with the rest.
            _ = try await db.rows("""
                SELECT subledger_id FROM loyalty_balance WHERE program_id = ? AND holder_kind = 'card' AND holder = ?
                ORDER BY subledger_id FOR UPDATE
                """, [programId, identifier])
            let blocked = try await db.changes("""
                UPDATE loyalty_card SET status = 'inactive', block_reason = ?, new_card_identifier = ?, modified = ?
                WHERE id = ? AND status = 'active' RETURNING id
                """, [blockReason, newIdentifier, now, old.id])
            guard blocked == 1 else { throw LoyaltyCardNotActive() }
            let newId = try await db.value(Int64.self, """
                INSERT INTO loyalty_card (program_id, identifier, status, linked_profiles, created, modified,
                    old_card_identifier, batch_id)
                SELECT program_id, ?, 'active', linked_profiles, ?, ?, identifier, batch_id FROM loyalty_card WHERE id = ?
                ON CONFLICT (program_id, identifier) DO NOTHING RETURNING id
                """, [newIdentifier, now, now, old.id])
            guard let newId else { throw StoreError.conflict("a loyalty card \(newIdentifier) exists in this program") }
            try await db.execute("UPDATE loyalty_card_profile SET card_id = ? WHERE card_id = ?", [newId, old.id])
            try await db.execute("UPDATE loyalty_card SET linked_profiles = 0 WHERE id = ?", [old.id])
            for table in ["loyalty_balance", "loyalty_ledger", "loyalty_membership"] {
                try await db.execute("""
                    UPDATE \(table) SET holder = ? WHERE program_id = ? AND holder_kind = 'card' AND holder = ?
                    """, [newIdentifier, programId, identifier])
            }
            return try await Self.loyaltyCard(db, programId: programId, identifier: newIdentifier)
        }
    }

    public func createLoyaltyCards(programId: Int64, identifiers: [String], status: String, batchId: String,
                                   now: Date) async throws -> Int
    {
        try await write { db in
            _ = try await Self.loyaltyProgram(db, id: programId)
            // One statement: each identifier inserted once, the existing ones skipped by the unique key.
            return try await db.changes("""
                INSERT INTO loyalty_card (program_id, identifier, status, created, batch_id)
                SELECT ?, identifier, ?, ?, ? FROM unnest(?::TEXT[]) AS identifier
                ON CONFLICT (program_id, identifier) DO NOTHING RETURNING id
                """, [programId, status, now, batchId, identifiers])
        }
    }

    public func importLoyaltyCards(programId: Int64, cards: [LoyaltyCardImport], batchId: String, now: Date)
        async throws
    {
        try await write { db in
            let program = try await Self.loyaltyProgram(db, id: programId)
            for (index, card) in cards.enumerated() {
                let cardId = try await db.value(Int64.self, """
                    INSERT INTO loyalty_card (program_id, identifier, status, created, batch_id) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (program_id, identifier) DO NOTHING RETURNING id
                    """, [programId, card.identifier, card.status, now, batchId])
                guard let cardId else { throw LoyaltyCardExists(index: index) }
                for profileId in card.profileIds {
                    try await Self.link(db, cardId: cardId, program: program, profileId: profileId, now: now)
                }
            }
        }
    }
}
