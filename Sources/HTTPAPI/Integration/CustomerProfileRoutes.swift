import Foundation
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `/v2/customer_profiles`, `/v2/events` and `/v1/customer_data`: the customer side of the Integration API.
struct CustomerProfileRoutes {
    let store: any Store
    let profiles: ProfileService
    let configuration: APIConfiguration
    /// Flushed before an erase, so that entries still in memory are scrubbed too.
    var accessLog: AccessLogRecorder?

    struct ProfileRequest: Decodable {
        var attributes: [String: JSONValue]?
        var evaluableCampaignIds: [Int64]?
        var audiencesChanges: AudiencesChanges?
        var responseContent: [String]?
    }

    /// `ProfileAudiencesChanges`: audience ids to join and to leave.
    struct AudiencesChanges: Decodable {
        var adds: [Int64]
        var deletes: [Int64]

        func changes(profileId: String) -> [AudienceMembershipChange] {
            adds.map { AudienceMembershipChange(audienceId: $0, profileIntegrationId: profileId, joins: true) }
                + deletes.map { AudienceMembershipChange(audienceId: $0, profileIntegrationId: profileId, joins: false) }
        }

        var pointers: [String] {
            adds.indices.map { "/audiencesChanges/adds/\($0)" } + deletes.indices.map { "/audiencesChanges/deletes/\($0)" }
        }
    }

    struct ProfileResponse: Encodable, Sendable {
        var effects: [Effect]
        var createdCoupons: [CouponBody] = []
        var createdReferrals: [JSONValue] = []
        var customerProfile: CustomerProfileBody?
        var event: EventBody?
        var triggeredCampaigns: [CampaignBody]?
    }

    /// The answer to a profile update or a custom event, with what `responseContent` asked for: what it shows of
    /// stored state came with the commit (or the dry run's snapshot).
    func response(_ result: ProfileUpdateResult, content: Set<String>) -> ProfileResponse {
        ProfileResponse(
            effects: result.effects, createdCoupons: result.createdCoupons.map { CouponBody($0) },
            customerProfile: content.contains("customerProfile") ? result.answer.profileBody(result.profile) : nil,
            event: content.contains("event") ? result.event.map(EventBody.init) : nil,
            triggeredCampaigns: content.contains("triggeredCampaigns")
                ? result.answer.triggeredCampaignBodies(result.triggeredCampaignIds) : nil
        )
    }

    struct BulkRequest: Decodable {
        var customerProfiles: [BulkItem]?
    }

    /// The spec names the profile `integrationId`; `profileId`, which Sconto took before, is still read.
    struct BulkItem: Decodable {
        var integrationId: String
        var attributes: [String: JSONValue]?
        /// The field the id came in (`integrationId`, or the older `profileId`), for error pointers.
        var idField = "integrationId"

        private enum CodingKeys: String, CodingKey { case integrationId, profileId, attributes }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            attributes = try container.decodeIfPresent([String: JSONValue].self, forKey: .attributes)
            if let legacy = try container.decodeIfPresent(String.self, forKey: .profileId),
               !container.contains(.integrationId) {
                integrationId = legacy
                idField = "profileId"
            } else {
                integrationId = try container.decode(String.self, forKey: .integrationId)
            }
        }
    }

    struct BulkResponse: Encodable, Sendable {
        var integrationStates: [BulkState]
    }

    struct BulkState: Encodable, Sendable {
        var customerProfile: CustomerProfileBody
        var effects: [Effect]
    }

    struct EventRequest: Decodable {
        var profileId: String?
        var storeIntegrationId: String?
        var evaluableCampaignIds: [Int64]?
        var type: String
        var attributes: [String: JSONValue]?
        var loyaltyCards: [String]?
        var responseContent: [String]?
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.put, "/v2/customer_profiles/:integrationId") { request, context in
            let key = try context.integrationKey()
            let body = try await request.decodeJSON(ProfileRequest.self, limit: configuration.maxBodySize)
            let query = request.uri.queryParameters
            let runRuleEngine = try bool(query.get("runRuleEngine"), name: "runRuleEngine", default: false)
            let dry = try bool(query.get("dry"), name: "dry", default: false) || key.isStaging
            let profileId = try integrationId(context)
            let audienceChanges = body.audiencesChanges?.changes(profileId: profileId) ?? []
            try await AudienceRoutes.checkAudiencesExist(audienceChanges, pointers: body.audiencesChanges?.pointers ?? [],
                                                         accountId: key.accountId, store: store)
            let content = Set(body.responseContent ?? [])
            let result = try await busyAs409 {
                try await profiles.update(
                    application: application(key), integrationId: profileId,
                    attributes: body.attributes ?? [:], runRuleEngine: runRuleEngine,
                    evaluableCampaignIds: body.evaluableCampaignIds, dry: dry, audienceChanges: audienceChanges,
                    answering: AnswerContent(profileContent: content), now: clock(key)
                )
            }
            return try WireCoding.response(response(result, content: content))
        }
        routes.on(.put, "/v2/customer_profiles") { request, context in
            let key = try context.integrationKey()
            let body = try await request.decodeJSON(BulkRequest.self, limit: configuration.maxBodySize)
            let items = body.customerProfiles ?? []
            for (index, item) in items.enumerated() {
                try Identifier.field(item.integrationId, pointer: "/customerProfiles/\(index)/\(item.idField)")
            }
            guard items.count <= 1000 else {
                throw APIError.badRequest(pointer: "/customerProfiles", "must have at most 1000 profiles")
            }
            let application = try await application(key)
            let silent = request.uri.queryParameters.get("silent") != "no"
            let saved = try await profiles.updateMany(
                application: application, updates: items.map { ($0.integrationId, $0.attributes ?? [:]) },
                dry: key.isStaging, now: clock(key)
            )
            let states = saved.map { BulkState(customerProfile: CustomerProfileBody($0.profile), effects: $0.effects) }
            if silent { return Response(status: .noContent) }
            return try WireCoding.response(BulkResponse(integrationStates: states))
        }
        routes.on(.post, "/v2/events") { request, context in
            let key = try context.integrationKey()
            let body = try await request.decodeJSON(EventRequest.self, limit: configuration.maxBodySize)
            try Identifier.field(body.profileId, pointer: "/profileId")
            let dry = try bool(request.uri.queryParameters.get("dry"), name: "dry", default: false) || key.isStaging
            let content = Set(body.responseContent ?? [])
            let result = try await busyAs409 {
                try await profiles.track(
                    application: application(key), profileId: body.profileId,
                    event: CustomEvent(type: body.type, attributes: body.attributes ?? [:]),
                    evaluableCampaignIds: body.evaluableCampaignIds, dry: dry,
                    answering: AnswerContent(profileContent: content), now: clock(key)
                )
            }
            return try WireCoding.response(response(result, content: content))
        }
        registerEventsV3(on: routes)
        routes.on(.delete, "/v1/customer_data/:integrationId") { _, context in
            let key = try context.integrationKey()
            try refuseStaging(key, "erase customer data")
            await accessLog?.flush()
            try await store.eraseCustomerData(applicationId: key.applicationId, integrationId: integrationId(context))
            return Response(status: .noContent)
        }
    }

    func application(_ key: IntegrationKey) async throws -> PromotionEngine.Application {
        try await store.application(id: key.applicationId, accountId: key.accountId)
    }

    func integrationId(_ context: SContoRequestContext) throws -> String {
        try Identifier.parameter(context.parameters.get("integrationId")?.removingPercentEncoding, name: "integrationId")
    }
}

/// Rules see "now" shifted by the key's `timeOffset` (nanoseconds), as Talon.One's test keys allow.
func clock(_ key: IntegrationKey) -> Date {
    Date().addingTimeInterval(Double(key.timeOffset) / 1_000_000_000)
}

/// Staging keys never change stored data: the evaluating routes run dry for them, and the others
/// (reopen, returns, erasing customer data), which have no dry form, refuse them.
func refuseStaging(_ key: IntegrationKey, _ action: String) throws {
    if key.isStaging { throw APIError.forbidden("a staging key cannot \(action); use a live key") }
}

/// A boolean query parameter: `true`/`false` (or 1/0); anything else answers 400 naming it.
func bool(_ text: String?, name: String, default fallback: Bool) throws -> Bool {
    guard let text else { return fallback }
    switch text.lowercased() {
    case "true", "1", "yes": return true
    case "false", "0", "no", "": return false
    default: throw APIError.badParameter(name, "must be true or false")
    }
}

/// A full line of waiting requests for the same session or profile answers 409, as Talon.One does.
func busyAs409<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch is RequestQueue.Busy {
        throw APIError(.conflict, "Too many requests are updating this profile/session at the same time")
    }
}
