import Foundation
import GRDB
import PromotionEngine
import Storage

// Cards on the Management API: listed, blocked, deleted, transferred, created in batches.
extension SQLiteStore {
    public func loyaltyCards(programId: Int64, filter: LoyaltyCardFilter, page: PageRequest) async throws
        -> (cards: [LoyaltyCard], hasMore: Bool)
    {
        try await pool.read { db in
            _ = try Self.loyaltyProgram(db, id: programId)
            var conditions = ["c.program_id = ?"]
            var arguments: StatementArguments = [programId]
            if let identifier = filter.identifier { conditions.append("c.identifier = ?"); arguments += [identifier] }
            if let batchId = filter.batchId { conditions.append("c.batch_id = ?"); arguments += [batchId] }
            if let profileId = filter.profileId {
                conditions.append("""
                    EXISTS (SELECT 1 FROM loyalty_card_profile p WHERE p.card_id = c.id AND p.profile_integration_id = ?)
                    """)
                arguments += [profileId]
            }
            arguments += [page.pageSize + 1, page.skip]
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.* FROM loyalty_card c WHERE \(conditions.joined(separator: " AND ")) ORDER BY c.id LIMIT ? OFFSET ?
                """, arguments: arguments)
            return (try rows.prefix(page.pageSize).map { try Self.loyaltyCard(db, row: $0) }, rows.count > page.pageSize)
        }
    }

    public func updateLoyaltyCard(programId: Int64, identifier: String, status: String, blockReason: String?,
                                  now: Date) async throws -> LoyaltyCard
    {
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE loyalty_card SET status = ?, block_reason = ?, modified = ? WHERE program_id = ? AND identifier = ?
                """, arguments: [status, blockReason, now, programId, identifier])
            return try Self.loyaltyCard(db, programId: programId, identifier: identifier)
        }
    }

    public func deleteLoyaltyCard(programId: Int64, identifier: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM loyalty_card WHERE program_id = ? AND identifier = ?",
                           arguments: [programId, identifier])
            guard db.changesCount == 1 else { throw StoreError.notFound(entity: "loyalty card") }
            for table in ["loyalty_ledger", "loyalty_balance", "loyalty_membership"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE program_id = ? AND holder_kind = 'card' AND holder = ?",
                               arguments: [programId, identifier])
            }
        }
    }

    public func transferLoyaltyCard(programId: Int64, identifier: String, newIdentifier: String, blockReason: String?,
                                    now: Date) async throws -> LoyaltyCard
    {
        try await pool.write { db in
            let old = try Self.loyaltyCard(db, programId: programId, identifier: identifier)
            _ = try Self.recordDueLoyalty(db, now: now, holder: (programId, .card(identifier)))
            // Guarded: of two transfers of one card, one blocks it and the other finds it blocked.
            try db.execute(sql: """
                UPDATE loyalty_card SET status = 'inactive', block_reason = ?, new_card_identifier = ?, modified = ?
                WHERE id = ? AND status = 'active'
                """, arguments: [blockReason, newIdentifier, now, old.id])
            guard db.changesCount == 1 else { throw LoyaltyCardNotActive() }
            try Self.mappingConstraints("a loyalty card \(newIdentifier) exists in this program") {
                try db.execute(sql: """
                    INSERT INTO loyalty_card (program_id, identifier, status, linked_profiles, created, modified,
                        old_card_identifier, batch_id)
                    SELECT program_id, ?, 'active', linked_profiles, ?, ?, identifier, batch_id FROM loyalty_card WHERE id = ?
                    """, arguments: [newIdentifier, now, now, old.id])
            }
            let newId = db.lastInsertedRowID
            try db.execute(sql: "UPDATE loyalty_card_profile SET card_id = ? WHERE card_id = ?", arguments: [newId, old.id])
            try db.execute(sql: "UPDATE loyalty_card SET linked_profiles = 0 WHERE id = ?", arguments: [old.id])
            for table in ["loyalty_balance", "loyalty_ledger", "loyalty_membership"] {
                try db.execute(sql: """
                    UPDATE \(table) SET holder = ? WHERE program_id = ? AND holder_kind = 'card' AND holder = ?
                    """, arguments: [newIdentifier, programId, identifier])
            }
            return try Self.loyaltyCard(db, programId: programId, identifier: newIdentifier)
        }
    }

    public func createLoyaltyCards(programId: Int64, identifiers: [String], status: String, batchId: String,
                                   now: Date) async throws -> Int
    {
        try await pool.write { db in
            _ = try Self.loyaltyProgram(db, id: programId)
            var created = 0
            for identifier in identifiers {
                try db.cachedStatement(sql: """
                    INSERT INTO loyalty_card (program_id, identifier, status, created, batch_id) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (program_id, identifier) DO NOTHING
                    """).execute(arguments: [programId, identifier, status, now, batchId])
                created += db.changesCount
            }
            return created
        }
    }

    public func importLoyaltyCards(programId: Int64, cards: [LoyaltyCardImport], batchId: String, now: Date)
        async throws
    {
        try await pool.write { db in
            let program = try Self.loyaltyProgram(db, id: programId)
            for (index, card) in cards.enumerated() {
                try db.cachedStatement(sql: """
                    INSERT INTO loyalty_card (program_id, identifier, status, created, batch_id) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (program_id, identifier) DO NOTHING
                    """).execute(arguments: [programId, card.identifier, card.status, now, batchId])
                guard db.changesCount == 1 else { throw LoyaltyCardExists(index: index) }
                let cardId = db.lastInsertedRowID
                for profileId in card.profileIds {
                    try Self.link(db, cardId: cardId, program: program, profileId: profileId, now: now)
                }
            }
        }
    }
}
