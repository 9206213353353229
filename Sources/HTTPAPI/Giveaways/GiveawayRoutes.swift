import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// Giveaway pools (Management API): created and listed (Sconto extensions beside Talon.One's Campaign Manager),
/// filled from CSV (`importPoolGiveaways`, all or nothing) and exported as CSV, streamed a page at a time.
struct GiveawayRoutes {
    let store: any Store
    let configuration: APIConfiguration

    /// The SDK's `NewGiveawaysPool`.
    struct NewGiveawaysPool: Decodable {
        var name: String
        var description: String?
        var subscribedApplicationsIds: [Int64]?
        var sandbox: Bool
    }

    static let exportColumns = [
        "id", "poolid", "code", "startdate", "enddate", "attributes", "used", "importid", "created",
        "profileintegrationid", "profileid",
    ]

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/giveaways/pools") { request, context in
            let (accountId, userId) = try context.managementCaller()
            let body = try await request.decodeJSON(NewGiveawaysPool.self, limit: configuration.maxBodySize)
            try AccountEntityChecks.name(body.name)
            let applicationIds = body.subscribedApplicationsIds ?? []
            try await AccountEntityChecks.applications(applicationIds, accountId: accountId, store: store)
            var pool = GiveawaysPool(id: 0, accountId: accountId, name: body.name,
                                     subscribedApplicationIds: applicationIds, sandbox: body.sandbox,
                                     created: Date().storagePrecision, createdBy: userId)
            pool.description = body.description
            return try WireCoding.response(GiveawaysPoolBody(try await store.createGiveawaysPool(pool)),
                                           status: .created)
        }
        routes.on(.get, "/v1/giveaways/pools") { request, context in
            let accountId = try context.managementCaller().accountId
            let (found, hasMore) = try await store.giveawaysPools(accountId: accountId, page: try request.pageRequest())
            return try WireCoding.response(GiveawaysPoolListing(hasMore: hasMore, data: found.map(GiveawaysPoolBody.init)))
        }
        routes.on(.get, "/v1/giveaways/pools/:poolId") { _, context in
            let accountId = try context.managementCaller().accountId
            return try WireCoding.response(GiveawaysPoolBody(
                try await store.giveawaysPool(id: context.id("poolId"), accountId: accountId)
            ))
        }
        routes.on(.post, "/v1/giveaways/pools/:poolId/import") { request, context in
            let (accountId, userId) = try context.managementCaller()
            let poolId = try context.id("poolId")
            _ = try await store.giveawaysPool(id: poolId, accountId: accountId)
            let csv = try await request.uploadedCSV(maxBodySize: configuration.maxBodySize)
            let giveaways = try Self.giveaways(fromCSV: csv, poolId: poolId)
            let now = Date().storagePrecision
            let importId = try await store.importGiveaways(giveaways, poolId: poolId, accountId: accountId, now: now)
            return try WireCoding.response(CouponFileRoutes.ImportBody(
                id: importId, created: now, accountId: accountId, userId: userId, entity: "Giveaway",
                amount: giveaways.count
            ))
        }
        routes.on(.get, "/v1/giveaways/pools/:poolId/export") { request, context in
            let accountId = try context.managementCaller().accountId
            let poolId = try context.id("poolId")
            _ = try await store.giveawaysPool(id: poolId, accountId: accountId)
            let filter = GiveawayFilter(createdBefore: try Self.date(request, "createdBefore"),
                                        createdAfter: try Self.date(request, "createdAfter"))
            let store = store
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: CSV.line(Self.exportColumns)))
                try await store.forEachGiveawayPage(poolId: poolId, accountId: accountId, filter: filter) { page in
                    var chunk = ""
                    for giveaway in page { chunk += CSV.line(try Self.row(giveaway)) }
                    try await writer.write(ByteBuffer(string: chunk))
                }
                try await writer.finish(nil)
            }
            // text/csv as the other exports: the spec says application/csv, which the SDK cannot read.
            return Response(status: .ok, headers: [.contentType: "text/csv"], body: body)
        }
    }

    private static func date(_ request: Request, _ name: String) throws -> Date? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let date = RFC3339.parse(text) else { throw APIError.badParameter(name, "must be an RFC 3339 date-time") }
        return date
    }

    /// Reads Talon.One's giveaway CSV (`code` required; `startdate`, `enddate`, `attributes`); a bad row answers
    /// 400 naming its line and column, and nothing is imported.
    static func giveaways(fromCSV text: String, poolId: Int64) throws -> [Giveaway] {
        let file = try CSVImport(text, required: ["code"])
        let now = Date().storagePrecision
        return try file.rows.map { row in
            let (field, fail) = (row.field, row.fail)
            guard let code = field("code"), code.count <= 1000 else { throw fail("code", "a code is required") }
            var giveaway = Giveaway(id: 0, poolId: poolId, code: code, created: now)
            giveaway.startDate = try row.date("startdate")
            giveaway.endDate = try row.date("enddate")
            if let text = field("attributes") {
                guard let attributes = try? JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8)) else {
                    throw fail("attributes", "must be a JSON object")
                }
                giveaway.attributes = attributes
            }
            return giveaway
        }
    }

    static func row(_ giveaway: Giveaway) throws -> [String] {
        let attributes = giveaway.attributes.isEmpty
            ? "" : String(decoding: try JSONEncoder().encode(giveaway.attributes), as: UTF8.self)
        return [
            "\(giveaway.id)", "\(giveaway.poolId)", giveaway.code, giveaway.startDate.map(RFC3339.format) ?? "",
            giveaway.endDate.map(RFC3339.format) ?? "", attributes, giveaway.used ? "true" : "false",
            "\(giveaway.importId)", RFC3339.format(giveaway.created), giveaway.awardedTo ?? "",
            giveaway.awardedProfileId.map { "\($0)" } ?? "",
        ]
    }
}

/// The SDK's `GiveawaysPool`.
struct GiveawaysPoolBody: Encodable, Sendable {
    var id: Int64
    var created: Date
    var accountId: Int64
    var name: String
    var description: String?
    var subscribedApplicationsIds: [Int64]
    var sandbox: Bool
    var modified: Date?
    var createdBy: Int64

    init(_ pool: GiveawaysPool) {
        (id, created, accountId, name, description) = (pool.id, pool.created, pool.accountId, pool.name, pool.description)
        (subscribedApplicationsIds, sandbox, modified, createdBy) =
            (pool.subscribedApplicationIds, pool.sandbox, pool.modified, pool.createdBy)
    }
}

struct GiveawaysPoolListing: Encodable, Sendable {
    var hasMore: Bool
    var data: [GiveawaysPoolBody]
}

/// The SDK's `Giveaway` (in `awardedGiveaways` and the customer inventory).
struct GiveawayBody: Encodable, Sendable {
    var id: Int64
    var created: Date
    var code: String
    var poolId: Int64
    var startDate: Date?
    var endDate: Date?
    var attributes: [String: JSONValue]
    var used: Bool
    var importId: Int64
    var profileIntegrationId: String?
    var profileId: Int64?

    init(_ giveaway: Giveaway) {
        (id, created, code, poolId) = (giveaway.id, giveaway.created, giveaway.code, giveaway.poolId)
        (startDate, endDate, attributes, used) = (giveaway.startDate, giveaway.endDate, giveaway.attributes, giveaway.used)
        (importId, profileIntegrationId, profileId) = (giveaway.importId, giveaway.awardedTo, giveaway.awardedProfileId)
    }
}
