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
}
