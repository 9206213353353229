import Foundation
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `POST /v3/events` and `GET /v3/events/{integrationId}`: advanced events, custom events with the shop's own
/// unique id (a repeat is 409, decided by the database's unique index) on the commit path of `/v2/events`.
extension CustomerProfileRoutes {
    /// `IntegrationEventV3Request`.
    struct EventV3Request: Decodable {
        var profileId: String
        var storeIntegrationId: String?
        var evaluableCampaignIds: [Int64]?
        var type: String
        var attributes: [String: JSONValue]?
        var integrationId: String
        var connectedSessionId: String?
        /// talon-one-sdk 26.2's `IntegrationEventV3Request` spells it so.
        var connectedSessionID: String?
        var loyaltyCards: [String]?
        var responseContent: [String]?

        var connectedSession: String? { connectedSessionId ?? connectedSessionID }
    }

    /// `EventV3`: the v2 event's fields (effects in the v1 array form, as the spec types them) and the advanced
    /// event's own.
    struct EventV3Body: Encodable, Sendable {
        var event: EventBody
        var integrationId: String?
        var connectedSessionId: String?

        init(_ event: SessionEvent) {
            self.event = EventBody(event)
            integrationId = event.integrationId
            connectedSessionId = event.connectedSessionId
        }

        func encode(to encoder: any Encoder) throws {
            try event.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encodeIfPresent(integrationId, forKey: .integrationId)
            try container.encodeIfPresent(connectedSessionId, forKey: .connectedSessionId)
        }

        private enum Key: String, CodingKey { case integrationId, connectedSessionId }
    }

    struct EventV3Response: Encodable, Sendable {
        var response: ProfileResponse
        var advancedEvent: EventV3Body?

        func encode(to encoder: any Encoder) throws {
            try response.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encodeIfPresent(advancedEvent, forKey: .advancedEvent)
        }

        private enum Key: String, CodingKey { case advancedEvent }
    }

    func registerEventsV3(on routes: RouteRegistrar) {
        routes.on(.post, "/v3/events") { request, context in
            let key = try context.integrationKey()
            let body = try await request.decodeJSON(EventV3Request.self, limit: configuration.maxBodySize)
            try Identifier.field(body.profileId, pointer: "/profileId")
            try Identifier.field(body.integrationId, pointer: "/integrationId")
            guard !body.integrationId.isEmpty else {
                throw ValidationIssue(pointer: "/integrationId", message: "must not be empty")
            }
            if let connected = body.connectedSession { try Identifier.field(connected, pointer: "/connectedSessionId") }
            let dry = try bool(request.uri.queryParameters.get("dry"), name: "dry", default: false) || key.isStaging
            let content = Set(body.responseContent ?? [])
            let result = try await busyAs409 {
                try await profiles.track(
                    application: application(key), profileId: body.profileId,
                    event: CustomEvent(type: body.type, attributes: body.attributes ?? [:]),
                    evaluableCampaignIds: body.evaluableCampaignIds,
                    advanced: .init(integrationId: body.integrationId, connectedSessionId: body.connectedSession),
                    dry: dry, answering: AnswerContent(profileContent: content), now: clock(key)
                )
            }
            return try WireCoding.response(EventV3Response(
                response: response(result, content: content),
                advancedEvent: content.contains("advancedEvent") ? result.event.map(EventV3Body.init) : nil
            ))
        }
        routes.on(.get, "/v3/events/:integrationId") { _, context in
            let key = try context.integrationKey()
            var filter = EventFilter()
            filter.integrationId = try integrationId(context)
            let found = try await store.events(applicationId: key.applicationId, filter: filter,
                                               page: PageRequest(pageSize: 1))
            guard let event = found.events.first else { throw StoreError.notFound(entity: "event") }
            return try WireCoding.response(EventV3Body(event))
        }
    }
}
