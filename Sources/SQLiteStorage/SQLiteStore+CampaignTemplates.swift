import Foundation
import GRDB
import PromotionEngine
import Storage

extension SQLiteStore: CampaignTemplateStore {
    public func createCampaignTemplate(accountId: Int64, userId: Int64, settings: CampaignTemplateSettings, now: Date)
        async throws -> CampaignTemplate
    {
        let json = try Self.encodeJSON(settings)
        return try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO campaign_template (account_id, user_id, name, state, settings, created, updated)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [accountId, userId, settings.name, settings.state.rawValue, json, now, now]
            )
            return CampaignTemplate(id: db.lastInsertedRowID, accountId: accountId, userId: userId, created: now,
                                    updated: now, settings: settings)
        }
    }

    public func campaignTemplate(id: Int64, accountId: Int64) async throws -> CampaignTemplate {
        try await pool.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT * FROM campaign_template WHERE id = ? AND account_id = ?", arguments: [id, accountId]
            ) else { throw StoreError.notFound(entity: "campaign template") }
            return try Self.template(from: row)
        }
    }

    public func campaignTemplates(accountId: Int64, filter: CampaignTemplateFilter, page: PageRequest) async throws
        -> Page<CampaignTemplate>
    {
        var conditions = ["account_id = ?"]
        var arguments: StatementArguments = [accountId]
        if let state = filter.state { conditions.append("state = ?"); arguments += [state.rawValue] }
        if let userId = filter.userId { conditions.append("user_id = ?"); arguments += [userId] }
        // Name and tags match case-insensitively, either one (the spec ORs them when both are given).
        var matches: [String] = []
        if let name = filter.name { matches.append("instr(lower(name), lower(?)) > 0"); arguments += [name] }
        for tag in filter.tags {
            matches.append("EXISTS (SELECT 1 FROM json_each(settings, '$.tags') AS t WHERE lower(t.value) = lower(?))")
            arguments += [tag]
        }
        if !matches.isEmpty { conditions.append("(" + matches.joined(separator: " OR ") + ")") }
        let order = try Self.orderClause(
            page.sort, allowed: ["id": "id", "name": "name", "created": "created", "state": "state"], default: "id"
        )
        let clause = conditions.joined(separator: " AND ")
        let filterArguments = arguments
        return try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM campaign_template WHERE \(clause)",
                                         arguments: filterArguments) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM campaign_template WHERE \(clause) \(order) LIMIT ? OFFSET ?",
                arguments: filterArguments + [page.pageSize, page.skip]
            )
            return Page(items: try rows.map(Self.template(from:)), totalCount: total)
        }
    }

    public func createCampaign(applicationId: Int64, userId: Int64, settings: CampaignSettings, rules: [RuleDefinition],
                               bindings: [JSONValue], now: Date) async throws -> (Campaign, Ruleset)
    {
        var stored = settings
        stored.activeRulesetId = nil
        let settings = stored
        let json = try Self.encodeJSON(settings)
        let body = try Self.encodeJSON(RulesetDocument(rules: rules, bindings: bindings, strikethroughRules: []))
        return try await pool.write { db in
            var campaign = try Self.insertCampaign(db, applicationId: applicationId, userId: userId, settings: settings,
                                                   json: json, now: now)
            let rulesetId = try Self.insertRuleset(db, campaignId: campaign.id, applicationId: applicationId,
                                                   userId: userId, body: body, activate: true, now: now)
            campaign.activeRulesetId = rulesetId
            return (campaign, Ruleset(id: rulesetId, campaignId: campaign.id, userId: userId, created: now, rules: rules,
                                      bindings: bindings, strikethroughRules: []))
        }
    }

    private static func template(from row: Row) throws -> CampaignTemplate {
        CampaignTemplate(
            id: row["id"], accountId: row["account_id"], userId: row["user_id"], created: row["created"],
            updated: row["updated"], settings: try decodeJSON(CampaignTemplateSettings.self, from: row["settings"])
        )
    }
}
