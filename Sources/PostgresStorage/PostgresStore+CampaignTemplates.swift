import Foundation
import PromotionEngine
import Storage

extension PostgresStore: CampaignTemplateStore {
    public func createCampaignTemplate(accountId: Int64, userId: Int64, settings: CampaignTemplateSettings, now: Date)
        async throws -> CampaignTemplate
    {
        let json = try StoredJSON.encode(settings)
        return try await write { db in
            let id = try await db.value(Int64.self, """
                INSERT INTO campaign_template (account_id, user_id, name, state, settings, created, updated)
                VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, [accountId, userId, settings.name, settings.state.rawValue, json, now, now]) ?? 0
            return CampaignTemplate(id: id, accountId: accountId, userId: userId, created: now, updated: now,
                                    settings: settings)
        }
    }

    public func campaignTemplate(id: Int64, accountId: Int64) async throws -> CampaignTemplate {
        try await read { db in
            guard let row = try await db.row("SELECT * FROM campaign_template WHERE id = ? AND account_id = ?",
                                             [id, accountId])
            else { throw StoreError.notFound(entity: "campaign template") }
            return try Self.template(from: row)
        }
    }

    public func campaignTemplates(accountId: Int64, filter: CampaignTemplateFilter, page: PageRequest) async throws
        -> Page<CampaignTemplate>
    {
        var conditions = ["account_id = ?"]
        var arguments: SQLArguments = [accountId]
        if let state = filter.state { conditions.append("state = ?"); arguments.append(state.rawValue) }
        if let userId = filter.userId { conditions.append("user_id = ?"); arguments.append(userId) }
        // Name and tags match case-insensitively, either one (the spec ORs them when both are given).
        var matches: [String] = []
        if let name = filter.name { matches.append("strpos(lower(name), lower(?)) > 0"); arguments.append(name) }
        for tag in filter.tags {
            matches.append("""
                EXISTS (SELECT 1 FROM jsonb_array_elements_text(settings::jsonb -> 'tags') AS t(value)
                    WHERE lower(t.value) = lower(?))
                """)
            arguments.append(tag)
        }
        if !matches.isEmpty { conditions.append("(" + matches.joined(separator: " OR ") + ")") }
        let order = try listingOrder(
            page.sort, allowed: ["id": "id", "name": "name", "created": "created", "state": "state"], default: "id"
        )
        let clause = conditions.joined(separator: " AND ")
        let filterArguments = arguments
        return try await read { db in
            let total = try await db.value(Int.self, "SELECT COUNT(*) FROM campaign_template WHERE \(clause)",
                                           filterArguments) ?? 0
            let rows = try await db.rows("SELECT * FROM campaign_template WHERE \(clause) \(order) LIMIT ? OFFSET ?",
                                         filterArguments + [page.pageSize, page.skip])
            return Page(items: try rows.map(Self.template(from:)), totalCount: total)
        }
    }

    public func createCampaign(applicationId: Int64, userId: Int64, settings: CampaignSettings, rules: [RuleDefinition],
                               bindings: [JSONValue], now: Date) async throws -> (Campaign, Ruleset)
    {
        var stored = settings
        stored.activeRulesetId = nil
        let settings = stored
        let json = try StoredJSON.encode(settings)
        let body = try StoredJSON.encode(RulesetDocument(rules: rules, bindings: bindings, strikethroughRules: []))
        return try await write { db in
            var campaign = try await Self.insertCampaign(db, applicationId: applicationId, userId: userId,
                                                         settings: settings, json: json, now: now)
            let rulesetId = try await Self.insertRuleset(db, campaignId: campaign.id, applicationId: applicationId,
                                                         userId: userId, body: body, activate: true, now: now)
            campaign.activeRulesetId = rulesetId
            return (campaign, Ruleset(id: rulesetId, campaignId: campaign.id, userId: userId, created: now,
                                      rules: rules, bindings: bindings, strikethroughRules: []))
        }
    }

    private static func template(from row: Row) throws -> CampaignTemplate {
        CampaignTemplate(
            id: try row["id"], accountId: try row["account_id"], userId: try row["user_id"],
            created: try row.date("created"), updated: try row.date("updated"),
            settings: try StoredJSON.decode(CampaignTemplateSettings.self, from: try row["settings"])
        )
    }
}
