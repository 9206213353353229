import Foundation
import PromotionEngine
import Storage

/// Talon.One's `Return`: one return of cart items, recorded as the session's `talon_session_partially_returned`
/// event (its id is the return's id) with the returned items in its attributes.
struct ReturnBody: Encodable, Sendable {
    var id: Int64
    var created: Date
    var applicationId: Int64
    var accountId: Int64
    var returnedCartItems: JSONValue
    var eventId: Int64
    var sessionId: Int64
    var sessionIntegrationId: String
    var profileId: Int64?
    var profileIntegrationId: String?

    init(_ event: SessionEvent, session: CustomerSession, accountId: Int64, profile: CustomerProfile?) {
        id = event.id
        created = event.created
        applicationId = event.applicationId
        self.accountId = accountId
        returnedCartItems = event.attributes["returnedCartItems"] ?? .array([])
        eventId = event.id
        sessionId = session.id
        sessionIntegrationId = session.integrationId
        profileId = profile?.id
        profileIntegrationId = session.profileId
    }

    /// `previousReturns`: the session's returns, oldest first.
    static func previous(of session: CustomerSession, accountId: Int64, profile: CustomerProfile?, store: any Store)
        async throws -> [ReturnBody]
    {
        var filter = EventFilter()
        filter.sessionId = session.integrationId
        filter.type = EventType.sessionPartiallyReturned.rawValue
        let events = try await allPages { page in
            let found = try await store.events(applicationId: session.applicationId, filter: filter, page: page)
            return (items: found.events, hasMore: found.hasMore)
        }
        return events.sorted { $0.id < $1.id }
            .map { ReturnBody($0, session: session, accountId: accountId, profile: profile) }
    }
}
