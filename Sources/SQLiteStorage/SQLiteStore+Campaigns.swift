import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: CampaignStore {
    public func createCampaign(applicationId: Int64, userId: Int64, settings: CampaignSettings, now: Date) async throws
        -> Campaign
    {
        var stored = settings
        stored.activeRulesetId = nil  // a new campaign has no ruleset yet
        let settings = stored
        let json = try Self.encodeJSON(settings)
        return try await pool.write { db in
            try Self.insertCampaign(db, applicationId: applicationId, userId: userId, settings: settings, json: json, now: now)
        }
    }

    static func insertCampaign(_ db: Database, applicationId: Int64, userId: Int64, settings: CampaignSettings,
                               json: String, now: Date) throws -> Campaign {
        try db.execute(
            sql: """
                INSERT INTO campaign (application_id, user_id, name, state, settings, created, updated)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [applicationId, userId, settings.name, settings.state.rawValue, json, now, now]
        )
        let id = db.lastInsertedRowID
        try bumpRevision(db, applicationId: applicationId)
        return Campaign(id: id, applicationId: applicationId, userId: userId, created: now, updated: now,
                        activeRulesetId: nil, settings: settings)
    }

    public func campaign(id: Int64, applicationId: Int64) async throws -> Campaign {
        try await pool.read { db in try Self.campaign(db, id: id, applicationId: applicationId) }
    }

    public func campaigns(applicationId: Int64, filter: CampaignFilter, page: PageRequest) async throws
        -> Page<Campaign>
    {
        var conditions = ["application_id = ?"]
        var arguments: StatementArguments = [applicationId]
        if let state = filter.state { conditions.append("state = ?"); arguments += [state.rawValue] }
        if let name = filter.name { conditions.append("instr(lower(name), lower(?)) > 0"); arguments += [name] }
        if let before = filter.createdBefore { conditions.append("created < ?"); arguments += [before] }
        if let after = filter.createdAfter { conditions.append("created > ?"); arguments += [after] }
        for tag in filter.tags {
            conditions.append("EXISTS (SELECT 1 FROM json_each(settings, '$.tags') AS t WHERE t.value = ?)")
            arguments += [tag]
        }
        let order = try Self.orderClause(
            page.sort, allowed: ["id": "id", "name": "name", "created": "created", "state": "state"], default: "id"
        )
        let whereClause = conditions.joined(separator: " AND ")
        let countArguments = arguments
        let listArguments = arguments + [page.pageSize, page.skip]
        return try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM campaign WHERE \(whereClause)",
                                         arguments: countArguments) ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM campaign WHERE \(whereClause) \(order) LIMIT ? OFFSET ?",
                                        arguments: listArguments)
            return Page(items: try rows.map(Self.campaign(from:)), totalCount: total)
        }
    }

    public func updateCampaign(id: Int64, applicationId: Int64, settings: CampaignSettings, now: Date) async throws
        -> Campaign
    {
        try await pool.write { db in
            var campaign = try Self.campaign(db, id: id, applicationId: applicationId)
            if let rulesetId = settings.activeRulesetId {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM ruleset WHERE id = ? AND campaign_id = ?",
                                        arguments: [rulesetId, id]) == true
                else {
                    throw ValidationIssue(pointer: "/activeRulesetId", message: "ruleset \(rulesetId) is not a ruleset of campaign \(id)")
                }
                campaign.activeRulesetId = rulesetId
            }
            campaign.settings = settings
            campaign.settings.activeRulesetId = nil
            campaign.updated = now
            try db.execute(
                sql: "UPDATE campaign SET name = ?, state = ?, settings = ?, active_ruleset_id = ?, updated = ? WHERE id = ?",
                arguments: [settings.name, settings.state.rawValue, try Self.encodeJSON(campaign.settings),
                            campaign.activeRulesetId, now, id]
            )
            try Self.bumpRevision(db, applicationId: applicationId)
            return campaign
        }
    }

    public func deleteCampaign(id: Int64, applicationId: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM campaign WHERE id = ? AND application_id = ?", arguments: [id, applicationId])
            if db.changesCount == 0 { throw StoreError.notFound(entity: "campaign") }
            try Self.bumpRevision(db, applicationId: applicationId)
        }
    }

    public func createRuleset(
        campaignId: Int64, applicationId: Int64, userId: Int64, rules: [RuleDefinition], bindings: [JSONValue],
        strikethroughRules: [RuleDefinition], activate: Bool, now: Date
    ) async throws -> Ruleset {
        let body = try Self.encodeJSON(RulesetDocument(rules: rules, bindings: bindings, strikethroughRules: strikethroughRules))
        return try await pool.write { db in
            _ = try Self.campaign(db, id: campaignId, applicationId: applicationId)
            let id = try Self.insertRuleset(db, campaignId: campaignId, applicationId: applicationId, userId: userId,
                                            body: body, activate: activate, now: now)
            return Ruleset(id: id, campaignId: campaignId, userId: userId, created: now, rules: rules,
                           bindings: bindings, strikethroughRules: strikethroughRules)
        }
    }

    static func insertRuleset(_ db: Database, campaignId: Int64, applicationId: Int64, userId: Int64, body: String,
                              activate: Bool, now: Date) throws -> Int64 {
        try db.execute(sql: "INSERT INTO ruleset (campaign_id, user_id, body, created) VALUES (?, ?, ?, ?)",
                       arguments: [campaignId, userId, body, now])
        let id = db.lastInsertedRowID
        if activate {
            try db.execute(sql: "UPDATE campaign SET active_ruleset_id = ?, updated = ? WHERE id = ?",
                           arguments: [id, now, campaignId])
            try bumpRevision(db, applicationId: applicationId)
        }
        return id
    }

    public func rulesets(campaignId: Int64, applicationId: Int64, page: PageRequest) async throws -> Page<Ruleset> {
        let order = try Self.orderClause(page.sort, allowed: ["id": "id", "created": "created"], default: "id")
        return try await pool.read { db in
            _ = try Self.campaign(db, id: campaignId, applicationId: applicationId)
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ruleset WHERE campaign_id = ?",
                                         arguments: [campaignId]) ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM ruleset WHERE campaign_id = ? \(order) LIMIT ? OFFSET ?",
                                        arguments: [campaignId, page.pageSize, page.skip])
            return Page(items: try rows.map(Self.ruleset(from:)), totalCount: total)
        }
    }

    public func ruleset(id: Int64, campaignId: Int64, applicationId: Int64) async throws -> Ruleset {
        try await pool.read { db in
            _ = try Self.campaign(db, id: campaignId, applicationId: applicationId)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM ruleset WHERE id = ? AND campaign_id = ?",
                                             arguments: [id, campaignId])
            else { throw StoreError.notFound(entity: "ruleset") }
            return try Self.ruleset(from: row)
        }
    }

    public func runnableCampaigns(applicationId: Int64) async throws -> [RunnableCampaign] {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.*, r.id AS r_id, r.user_id AS r_user_id, r.body AS r_body, r.created AS r_created
                FROM campaign c JOIN ruleset r ON r.id = c.active_ruleset_id
                WHERE c.application_id = ? AND c.state = 'enabled' ORDER BY c.id
                """, arguments: [applicationId])
            return try rows.map { row in
                let body = try Self.decodeJSON(RulesetDocument.self, from: row["r_body"])
                let campaign = try Self.campaign(from: row)
                return RunnableCampaign(campaign: campaign, ruleset: Ruleset(
                    id: row["r_id"], campaignId: campaign.id, userId: row["r_user_id"], created: row.date("r_created"),
                    rules: body.rules, bindings: body.bindings, strikethroughRules: body.strikethroughRules
                ))
            }
        }
    }

    public func campaignRevision(applicationId: Int64) async throws -> Int64 {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT campaign_revision FROM application WHERE id = ?",
                               arguments: [applicationId]) ?? 0
        }
    }

    static func bumpRevision(_ db: Database, applicationId: Int64) throws {
        try db.execute(sql: "UPDATE application SET campaign_revision = campaign_revision + 1 WHERE id = ?",
                       arguments: [applicationId])
        db.afterNextTransaction { _ in ConfigurationChanges.record() }
    }

    static func campaign(_ db: Database, id: Int64, applicationId: Int64) throws -> Campaign {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM campaign WHERE id = ? AND application_id = ?",
                                         arguments: [id, applicationId])
        else { throw StoreError.notFound(entity: "campaign") }
        return try campaign(from: row)
    }

    static func campaign(from row: Row) throws -> Campaign {
        var counters = CampaignCounters()
        counters.couponRedemptionCount = row["coupon_redemption_count"]
        counters.discountCount = StoredMoney.decimal(row["discount_units"])
        counters.discountEffectCount = row["discount_effect_count"]
        counters.addFreeItemEffectCount = row["add_free_item_effect_count"]
        counters.customEffectCount = row["custom_effect_count"]
        counters.couponCreationCount = row["coupon_creation_count"]
        counters.lastActivity = row.optionalDate("last_activity")
        ActionCounts.read(into: &counters) { row[$0] }
        return Campaign(
            id: row["id"], applicationId: row["application_id"], userId: row["user_id"], created: row.date("created"),
            updated: row.date("updated"), activeRulesetId: row["active_ruleset_id"],
            settings: try decodeJSON(CampaignSettings.self, from: row["settings"]), counters: counters
        )
    }

    static func ruleset(from row: Row) throws -> Ruleset {
        let body = try decodeJSON(RulesetDocument.self, from: row["body"])
        return Ruleset(id: row["id"], campaignId: row["campaign_id"], userId: row["user_id"], created: row.date("created"),
                       rules: body.rules, bindings: body.bindings, strikethroughRules: body.strikethroughRules)
    }
}

extension SQLiteStore {
    public func campaignSet(applicationId: Int64) async throws -> CampaignSet? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM campaign_set WHERE application_id = ?", arguments: [applicationId])
                .map(Self.campaignSet(from:))
        }
    }

    public func saveCampaignSet(applicationId: Int64, tree: EvaluationGroup, updatedBy: String?, now: Date)
        async throws -> CampaignSet
    {
        // Version 1 is the implicit tree (every campaign stacks) the API shows before anything is saved.
        let treeJSON = try Self.encodeJSON(tree)
        return try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO campaign_set (application_id, version, tree, updated_by, updated) VALUES (?, 2, ?, ?, ?)
                ON CONFLICT (application_id) DO UPDATE SET version = version + 1, tree = excluded.tree,
                    updated_by = excluded.updated_by, updated = excluded.updated
                """, arguments: [applicationId, treeJSON, updatedBy, now.storagePrecision])
            try Self.bumpRevision(db, applicationId: applicationId)
            let row = try Row.fetchOne(db, sql: "SELECT * FROM campaign_set WHERE application_id = ?",
                                       arguments: [applicationId])
            guard let row else { throw StoreError.notFound(entity: "campaign set") }
            return try Self.campaignSet(from: row)
        }
    }

    static func campaignSet(from row: Row) throws -> CampaignSet {
        CampaignSet(applicationId: row["application_id"], version: row["version"],
                    tree: try decodeJSON(EvaluationGroup.self, from: row["tree"]), updatedBy: row["updated_by"],
                    updated: row.date("updated"))
    }
}
