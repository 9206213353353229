import Foundation
import PromotionEngine
import Storage

extension PostgresStore: CampaignStore {
    public func createCampaign(applicationId: Int64, userId: Int64, settings: CampaignSettings, now: Date) async throws
        -> Campaign
    {
        var stored = settings
        stored.activeRulesetId = nil  // a new campaign has no ruleset yet
        let settings = stored
        let json = try StoredJSON.encode(settings)
        return try await write { db in
            try await Self.insertCampaign(db, applicationId: applicationId, userId: userId, settings: settings,
                                          json: json, now: now)
        }
    }

    static func insertCampaign(_ db: Database, applicationId: Int64, userId: Int64, settings: CampaignSettings,
                               json: String, now: Date) async throws -> Campaign
    {
        let id = try await db.value(Int64.self, """
            INSERT INTO campaign (application_id, user_id, name, state, settings, created, updated)
            VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, [applicationId, userId, settings.name, settings.state.rawValue, json, now, now]) ?? 0
        try await bumpRevision(db, applicationId: applicationId)
        return Campaign(id: id, applicationId: applicationId, userId: userId, created: now, updated: now,
                        activeRulesetId: nil, settings: settings)
    }

    public func campaign(id: Int64, applicationId: Int64) async throws -> Campaign {
        try await read { db in try await Self.campaign(db, id: id, applicationId: applicationId) }
    }

    public func campaigns(applicationId: Int64, filter: CampaignFilter, page: PageRequest) async throws
        -> Page<Campaign>
    {
        var conditions = ["application_id = ?"]
        var arguments: SQLArguments = [applicationId]
        if let state = filter.state { conditions.append("state = ?"); arguments.append(state.rawValue) }
        if let name = filter.name { conditions.append("strpos(lower(name), lower(?)) > 0"); arguments.append(name) }
        if let before = filter.createdBefore { conditions.append("created < ?"); arguments.append(before) }
        if let after = filter.createdAfter { conditions.append("created > ?"); arguments.append(after) }
        for tag in filter.tags {
            conditions.append("EXISTS (SELECT 1 FROM jsonb_array_elements_text(settings::jsonb -> 'tags') AS t(value) WHERE t.value = ?)")
            arguments.append(tag)
        }
        let order = try listingOrder(
            page.sort, allowed: ["id": "id", "name": "name", "created": "created", "state": "state"], default: "id"
        )
        let whereClause = conditions.joined(separator: " AND ")
        let countArguments = arguments
        let listArguments = arguments + [page.pageSize, page.skip]
        return try await read { db in
            let total = try await db.value(Int.self, "SELECT COUNT(*) FROM campaign WHERE \(whereClause)",
                                           countArguments) ?? 0
            let rows = try await db.rows("SELECT * FROM campaign WHERE \(whereClause) \(order) LIMIT ? OFFSET ?",
                                         listArguments)
            return Page(items: try rows.map(Self.campaign(from:)), totalCount: total)
        }
    }

    public func updateCampaign(id: Int64, applicationId: Int64, settings: CampaignSettings, now: Date) async throws
        -> Campaign
    {
        try await write { db in
            var campaign = try await Self.campaign(db, id: id, applicationId: applicationId)
            if let rulesetId = settings.activeRulesetId {
                guard try await db.row("SELECT 1 FROM ruleset WHERE id = ? AND campaign_id = ?", [rulesetId, id]) != nil
                else {
                    throw ValidationIssue(pointer: "/activeRulesetId",
                                          message: "ruleset \(rulesetId) is not a ruleset of campaign \(id)")
                }
                campaign.activeRulesetId = rulesetId
            }
            campaign.settings = settings
            campaign.settings.activeRulesetId = nil
            campaign.updated = now
            try await db.execute(
                "UPDATE campaign SET name = ?, state = ?, settings = ?, active_ruleset_id = ?, updated = ? WHERE id = ?",
                [settings.name, settings.state.rawValue, try StoredJSON.encode(campaign.settings),
                 campaign.activeRulesetId, now, id]
            )
            try await Self.bumpRevision(db, applicationId: applicationId)
            return campaign
        }
    }

    public func deleteCampaign(id: Int64, applicationId: Int64) async throws {
        try await write { db in
            let deleted = try await db.changes("DELETE FROM campaign WHERE id = ? AND application_id = ? RETURNING 1",
                                               [id, applicationId])
            if deleted == 0 { throw StoreError.notFound(entity: "campaign") }
            try await Self.bumpRevision(db, applicationId: applicationId)
        }
    }

    public func createRuleset(
        campaignId: Int64, applicationId: Int64, userId: Int64, rules: [RuleDefinition], bindings: [JSONValue],
        strikethroughRules: [RuleDefinition], activate: Bool, now: Date
    ) async throws -> Ruleset {
        let body = try StoredJSON.encode(RulesetDocument(rules: rules, bindings: bindings,
                                                   strikethroughRules: strikethroughRules))
        return try await write { db in
            _ = try await Self.campaign(db, id: campaignId, applicationId: applicationId)
            let id = try await Self.insertRuleset(db, campaignId: campaignId, applicationId: applicationId,
                                                  userId: userId, body: body, activate: activate, now: now)
            return Ruleset(id: id, campaignId: campaignId, userId: userId, created: now, rules: rules,
                           bindings: bindings, strikethroughRules: strikethroughRules)
        }
    }

    static func insertRuleset(_ db: Database, campaignId: Int64, applicationId: Int64, userId: Int64, body: String,
                              activate: Bool, now: Date) async throws -> Int64
    {
        let id = try await db.value(Int64.self,
                                    "INSERT INTO ruleset (campaign_id, user_id, body, created) VALUES (?, ?, ?, ?) RETURNING id",
                                    [campaignId, userId, body, now]) ?? 0
        if activate {
            try await db.execute("UPDATE campaign SET active_ruleset_id = ?, updated = ? WHERE id = ?",
                                 [id, now, campaignId])
            try await bumpRevision(db, applicationId: applicationId)
        }
        return id
    }

    public func rulesets(campaignId: Int64, applicationId: Int64, page: PageRequest) async throws -> Page<Ruleset> {
        let order = try listingOrder(page.sort, allowed: ["id": "id", "created": "created"], default: "id")
        return try await read { db in
            _ = try await Self.campaign(db, id: campaignId, applicationId: applicationId)
            let total = try await db.value(Int.self, "SELECT COUNT(*) FROM ruleset WHERE campaign_id = ?",
                                           [campaignId]) ?? 0
            let rows = try await db.rows("SELECT * FROM ruleset WHERE campaign_id = ? \(order) LIMIT ? OFFSET ?",
                                         [campaignId, page.pageSize, page.skip])
            return Page(items: try rows.map(Self.ruleset(from:)), totalCount: total)
        }
    }

    public func ruleset(id: Int64, campaignId: Int64, applicationId: Int64) async throws -> Ruleset {
        try await read { db in
            _ = try await Self.campaign(db, id: campaignId, applicationId: applicationId)
            guard let row = try await db.row("SELECT * FROM ruleset WHERE id = ? AND campaign_id = ?",
                                             [id, campaignId])
            else { throw StoreError.notFound(entity: "ruleset") }
            return try Self.ruleset(from: row)
        }
    }

    public func runnableCampaigns(applicationId: Int64) async throws -> [RunnableCampaign] {
        try await read { db in
            let rows = try await db.rows("""
                SELECT c.*, r.id AS r_id, r.user_id AS r_user_id, r.body AS r_body, r.created AS r_created
                FROM campaign c JOIN ruleset r ON r.id = c.active_ruleset_id
                WHERE c.application_id = ? AND c.state = 'enabled' ORDER BY c.id
                """, [applicationId])
            return try rows.map { row in
                let body = try StoredJSON.decode(RulesetDocument.self, from: try row["r_body"])
                let campaign = try Self.campaign(from: row)
                return RunnableCampaign(campaign: campaign, ruleset: Ruleset(
                    id: try row["r_id"], campaignId: campaign.id, userId: try row["r_user_id"],
                    created: try row.date("r_created"), rules: body.rules, bindings: body.bindings,
                    strikethroughRules: body.strikethroughRules
                ))
            }
        }
    }

    public func campaignRevision(applicationId: Int64) async throws -> Int64 {
        try await read { db in
            try await db.value(Int64.self, "SELECT campaign_revision FROM application WHERE id = ?",
                               [applicationId]) ?? 0
        }
    }

    static func bumpRevision(_ db: Database, applicationId: Int64) async throws {
        try await db.execute("UPDATE application SET campaign_revision = campaign_revision + 1 WHERE id = ?",
                             [applicationId])
        db.changesConfiguration = true
    }

    static func campaign(_ db: Database, id: Int64, applicationId: Int64) async throws -> Campaign {
        guard let row = try await db.row("SELECT * FROM campaign WHERE id = ? AND application_id = ?",
                                         [id, applicationId])
        else { throw StoreError.notFound(entity: "campaign") }
        return try campaign(from: row)
    }

    static func campaign(from row: Row) throws -> Campaign {
        var counters = CampaignCounters()
        counters.couponRedemptionCount = try row["coupon_redemption_count"]
        counters.discountCount = StoredMoney.decimal(try row["discount_units"])
        counters.discountEffectCount = try row["discount_effect_count"]
        counters.addFreeItemEffectCount = try row["add_free_item_effect_count"]
        counters.customEffectCount = try row["custom_effect_count"]
        counters.couponCreationCount = try row["coupon_creation_count"]
        counters.lastActivity = try row.optionalDate("last_activity")
        try ActionCounts.read(into: &counters) { try row[$0] }
        return Campaign(
            id: try row["id"], applicationId: try row["application_id"], userId: try row["user_id"],
            created: try row.date("created"), updated: try row.date("updated"),
            activeRulesetId: try row["active_ruleset_id"],
            settings: try StoredJSON.decode(CampaignSettings.self, from: try row["settings"]), counters: counters
        )
    }

    static func ruleset(from row: Row) throws -> Ruleset {
        let body = try StoredJSON.decode(RulesetDocument.self, from: try row["body"])
        return Ruleset(id: try row["id"], campaignId: try row["campaign_id"], userId: try row["user_id"],
                       created: try row.date("created"), rules: body.rules, bindings: body.bindings,
                       strikethroughRules: body.strikethroughRules)
    }
}

extension PostgresStore {
    public func campaignSet(applicationId: Int64) async throws -> CampaignSet? {
        try await read { db in
            try await db.row("SELECT * FROM campaign_set WHERE application_id = ?", [applicationId])
                .map(Self.campaignSet(from:))
        }
    }

    public func saveCampaignSet(applicationId: Int64, tree: EvaluationGroup, updatedBy: String?, now: Date)
        async throws -> CampaignSet
    {
        // Version 1 is the implicit tree (every campaign stacks) the API shows before anything is saved.
        let treeJSON = try StoredJSON.encode(tree)
        return try await write { db in
            guard let row = try await db.row("""
                INSERT INTO campaign_set AS s (application_id, version, tree, updated_by, updated)
                VALUES (?, 2, ?, ?, ?)
                ON CONFLICT (application_id) DO UPDATE SET version = s.version + 1, tree = excluded.tree,
                    updated_by = excluded.updated_by, updated = excluded.updated
                RETURNING *
                """, [applicationId, treeJSON, updatedBy, now])
            else { throw StoreError.notFound(entity: "campaign set") }
            try await Self.bumpRevision(db, applicationId: applicationId)
            return try Self.campaignSet(from: row)
        }
    }

    static func campaignSet(from row: Row) throws -> CampaignSet {
        CampaignSet(applicationId: try row["application_id"], version: try row["version"],
                    tree: try StoredJSON.decode(EvaluationGroup.self, from: try row["tree"]),
                    updatedBy: try row["updated_by"], updated: try row.date("updated"))
    }
}
