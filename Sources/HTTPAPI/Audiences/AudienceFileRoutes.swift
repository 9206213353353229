import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// An audience's members as CSV (Management API): `importAudiencesMemberships` replaces them all in one
/// transaction (a bad row imports nothing), `exportAudiencesMemberships` streams them a page at a time.
struct AudienceFileRoutes {
    let store: any Store
    let configuration: APIConfiguration

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/audiences/:audienceId/memberships/import") { request, context in
            let (accountId, userId) = try context.managementCaller()
            let audienceId = try context.id("audienceId")
            _ = try await store.audience(id: audienceId, accountId: accountId)
            let file = try CSVImport(try await request.uploadedCSV(maxBodySize: configuration.maxBodySize),
                                     required: ["profileintegrationid"])
            let members = try file.rows.map { row in
                guard let member = row.field("profileintegrationid"), member.count <= 1000,
                      !Identifier.hasControlCharacters(member)
                else { throw row.fail("profileintegrationid", "1 to 1000 characters without control characters") }
                return member
            }
            let count = try await store.replaceAudienceMembers(audienceId: audienceId, accountId: accountId,
                                                               profileIntegrationIds: members,
                                                               now: Date().storagePrecision)
            return try WireCoding.response(CouponFileRoutes.ImportBody(
                id: audienceId, created: Date().storagePrecision, accountId: accountId, userId: userId,
                entity: "AudienceMembership", amount: count
            ))
        }
        routes.on(.get, "/v1/audiences/:audienceId/memberships/export") { _, context in
            let accountId = try context.managementCaller().accountId
            let audienceId = try context.id("audienceId")
            _ = try await store.audience(id: audienceId, accountId: accountId)
            let store = store
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: CSV.line(["profileintegrationid"])))
                var page = PageRequest(pageSize: 1000)
                while true {
                    let (members, hasMore) = try await store.audienceMembers(audienceId: audienceId, accountId: accountId,
                                                                             page: page)
                    try await writer.write(ByteBuffer(string: members.map { CSV.line([$0.profileIntegrationId]) }.joined()))
                    guard hasMore else { break }
                    page.skip += members.count
                }
                try await writer.finish(nil)
            }
            // text/csv as the other exports: the spec says application/csv, which the SDK cannot read.
            return Response(status: .ok, headers: [.contentType: "text/csv"], body: body)
        }
    }
}
