import Foundation
import Hummingbird
import PromotionEngine
import Services
import Storage

/// Audiences: created, renamed, deleted and filled by the shop (Integration API, `/v2/audiences…`,
/// `/v2/customer_audiences`), listed with their members (Management API, `/v1/audiences…`).
struct AudienceRoutes {
    let store: any Store
    let configuration: APIConfiguration

    struct NewAudience: Decodable {
        var name: String
        var description: String?
        var sandbox: Bool?
        var integration: String?
        var integrationId: String?
        var createdIn3rdParty: Bool?
        var lastUpdate: Date?
        var subscribedApplicationsIds: [Int64]?
    }

    struct AudienceUpdate: Decodable {
        var name: String
    }

    struct MembershipChanges: Decodable {
        struct Change: Decodable {
            var action: String
            var profileIntegrationId: String
            var audienceId: Int64
        }

        var data: [Change]
    }

    func registerIntegration(on routes: RouteRegistrar) {
        routes.on(.post, "/v2/audiences") { request, context in
            let key = try context.integrationKey()
            let body = try await request.decodeJSON(NewAudience.self, limit: configuration.maxBodySize)
            try Self.checkName(body.name)
            if let id = body.integrationId, id.isEmpty || id.count > 1000 {
                throw APIError.badRequest(pointer: "/integrationId", "must be 1 to 1000 characters")
            }
            var audience = Audience(id: 0, accountId: key.accountId, name: body.name, sandbox: body.sandbox ?? false,
                                    created: Date().storagePrecision)
            audience.description = body.description
            audience.integration = body.integration
            audience.integrationId = body.integrationId
            audience.createdIn3rdParty = body.createdIn3rdParty
            audience.lastUpdate = body.lastUpdate
            return try WireCoding.response(AudienceBody(try await store.createAudience(audience)), status: .created)
        }
        routes.on(.put, "/v2/audiences/:audienceId") { request, context in
            let key = try context.integrationKey()
            let body = try await request.decodeJSON(AudienceUpdate.self, limit: configuration.maxBodySize)
            try Self.checkName(body.name)
            var audience = try await store.audience(id: context.id("audienceId"), accountId: key.accountId)
            audience.name = body.name
            audience.lastUpdate = Date().storagePrecision
            return try WireCoding.response(AudienceBody(try await store.updateAudience(audience)))
        }
        routes.on(.delete, "/v2/audiences/:audienceId") { _, context in
            let key = try context.integrationKey()
            try await store.deleteAudience(id: context.id("audienceId"), accountId: key.accountId)
            return Response(status: .noContent)
        }
        routes.on(.put, "/v2/audience_customers/:audienceId/attributes") { request, context in
            let key = try context.integrationKey()
            let attributes = try await request.decodeJSON([String: JSONValue].self, limit: configuration.maxBodySize)
            let catalog = try await AttributeCatalogCache(store: store).catalog(accountId: key.accountId)
            let issues = catalog.validate(attributes, of: .customerProfile, at: "")
            guard issues.isEmpty else { throw ValidationFailure(issues) }
            _ = try await store.updateAudienceMemberAttributes(audienceId: context.id("audienceId"),
                                                               accountId: key.accountId, attributes: attributes)
            return Response(status: .noContent)
        }
        routes.on(.delete, "/v2/audiences/:audienceId/memberships") { _, context in
            let key = try context.integrationKey()
            try await store.deleteAudienceMemberships(audienceId: context.id("audienceId"), accountId: key.accountId)
            return Response(status: .noContent)
        }
        routes.on(.post, "/v2/customer_audiences") { request, context in
            let key = try context.integrationKey()
            let body = try await request.decodeJSON(MembershipChanges.self, limit: configuration.maxBodySize)
            var changes: [AudienceMembershipChange] = []
            for (index, change) in body.data.enumerated() {
                let pointer = "/data/\(index)"
                guard ["add", "delete"].contains(change.action) else {
                    throw APIError.badRequest(pointer: pointer + "/action", "must be add or delete")
                }
                guard !change.profileIntegrationId.isEmpty, change.profileIntegrationId.count <= 1000,
                      !Identifier.hasControlCharacters(change.profileIntegrationId) else {
                    throw APIError.badRequest(pointer: pointer + "/profileIntegrationId", "must be 1 to 1000 characters")
                }
                changes.append(AudienceMembershipChange(audienceId: change.audienceId,
                                                        profileIntegrationId: change.profileIntegrationId,
                                                        joins: change.action == "add"))
            }
            try await Self.checkAudiencesExist(changes, pointers: body.data.indices.map { "/data/\($0)/audienceId" },
                                               accountId: key.accountId, store: store)
            try await store.changeAudienceMemberships(changes, accountId: key.accountId, now: Date().storagePrecision)
            return Response(status: .noContent)
        }
    }

    func registerManagement(on routes: RouteRegistrar) {
        routes.on(.get, "/v1/audiences") { request, context in
            let accountId = try context.managementCaller().accountId
            let page = try request.pageRequest()
            let (found, hasMore) = try await store.audiences(accountId: accountId, page: page)
            var listing = AudienceListing(hasMore: hasMore, data: found.map(AudienceBody.init))
            if try bool(request.uri.queryParameters.get("withTotalResultSize"), name: "withTotalResultSize", default: false) {
                listing.totalResultSize = try await store.countAudiences(accountId: accountId)
            }
            return try WireCoding.response(listing)
        }
        routes.on(.get, "/v1/audiences/analytics") { request, context in
            let accountId = try context.managementCaller().accountId
            let text = request.uri.queryParameters.get("audienceIds") ?? ""
            let ids = text.split(separator: ",").map { Int64($0.trimmingCharacters(in: .whitespaces)) }
            guard !ids.isEmpty, ids.allSatisfy({ $0 != nil }) else {
                throw APIError.badParameter("audienceIds", "must be a comma-separated list of audience ids")
            }
            // Audiences of other accounts (or none) count nothing: they are left out.
            let counts = try await store.audienceMemberCounts(accountId: accountId)
            let data = ids.compactMap { $0 }.filter { counts[$0] != nil }.map {
                AudienceAnalyticsBody(audienceId: $0, membersCount: counts[$0] ?? 0)
            }
            return try WireCoding.response(AudienceAnalyticsListing(hasMore: false, data: data))
        }
        routes.on(.get, "/v1/audiences/:audienceId/memberships") { request, context in
            let accountId = try context.managementCaller().accountId
            let (members, hasMore) = try await store.audienceMembers(
                audienceId: context.id("audienceId"), accountId: accountId, page: request.pageRequest()
            )
            let data = members.map { member in
                // A member the shop named before any session or profile update has no profile yet: it is shown
                // with the membership's id and time and empty counters.
                CustomerProfileBody(member.profile ?? CustomerProfile(
                    id: member.membershipId, integrationId: member.profileIntegrationId, accountId: accountId,
                    applicationId: 0, created: member.created, lastActivity: member.created
                ))
            }
            return try WireCoding.response(ListingWithoutTotal(hasMore: hasMore, data: data))
        }
    }

    /// The SDK's `AudienceAnalytics`.
    struct AudienceAnalyticsBody: Encodable, Sendable {
        var audienceId: Int64
        var membersCount: Int
    }

    struct AudienceAnalyticsListing: Encodable, Sendable {
        var hasMore: Bool
        var data: [AudienceAnalyticsBody]
    }

    struct AudienceListing: Encodable, Sendable {
        var hasMore: Bool
        var totalResultSize: Int?
        var data: [AudienceBody]
    }

    private static func checkName(_ name: String) throws {
        if name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 1000 {
            throw APIError.badRequest(pointer: "/name", "must be 1 to 1000 characters")
        }
    }

    /// Every audience a change names must be the account's: a 400 naming the first that is not.
    static func checkAudiencesExist(_ changes: [AudienceMembershipChange], pointers: [String], accountId: Int64,
                                    store: any Store) async throws
    {
        var known: Set<Int64> = []
        for (change, pointer) in zip(changes, pointers) where !known.contains(change.audienceId) {
            do {
                _ = try await store.audience(id: change.audienceId, accountId: accountId)
                known.insert(change.audienceId)
            } catch StoreError.notFound {
                throw APIError.badRequest(pointer: pointer, "there is no audience \(change.audienceId)")
            }
        }
    }
}

/// The SDK's `Audience`.
struct AudienceBody: Encodable, Sendable {
    var accountId: Int64
    var id: Int64
    var created: Date
    var name: String
    var sandbox: Bool
    var description: String?
    var integration: String?
    var integrationId: String?
    var createdIn3rdParty: Bool?
    var lastUpdate: Date?

    init(_ audience: Audience) {
        (accountId, id, created, name, sandbox) = (audience.accountId, audience.id, audience.created, audience.name,
                                                   audience.sandbox)
        (description, integration, integrationId) = (audience.description, audience.integration, audience.integrationId)
        (createdIn3rdParty, lastUpdate) = (audience.createdIn3rdParty, audience.lastUpdate)
    }
}

extension CustomerProfileBody {
    /// The profile with its `audienceMemberships` (`{id, name}` per audience), as answers show it.
    static func withAudiences(_ profile: CustomerProfile, store: any Store) async throws -> CustomerProfileBody {
        CustomerProfileBody(profile, audiences: try await store.audienceMemberships(
            accountId: profile.accountId, profileIntegrationId: profile.integrationId
        ))
    }

    init(_ profile: CustomerProfile, audiences: [Audience]) {
        self.init(profile)
        audienceMemberships = audiences.map { .object(["id": .number(Decimal($0.id)), "name": .string($0.name)]) }
    }
}
