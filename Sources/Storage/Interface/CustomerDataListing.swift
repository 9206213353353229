import Foundation
import PromotionEngine

/// A stored session as the Management API lists it: the session, its last effects, its profile's id.
public struct StoredSession: Sendable {
    public var session: CustomerSession
    public var effects: [Effect]
    public var profileInternalId: Int64?

    public init(session: CustomerSession, effects: [Effect], profileInternalId: Int64?) {
        self.session = session
        self.effects = effects
        self.profileInternalId = profileInternalId
    }
}

/// Filters of `GET /v1/applications/{id}/sessions`.
public struct SessionFilter: Sendable {
    public var profileId: String?
    public var state: SessionState?
    public var createdBefore: Date?
    public var createdAfter: Date?
    public var coupon: String?
    public var integrationId: String?
    /// `integrationId` and `coupon` match as substrings instead of exactly.
    public var partialMatch = false

    public init() {}
}

/// Filters of `GET /v1/applications/{id}/events/no_total`.
public struct EventFilter: Sendable {
    public var type: String?
    public var createdBefore: Date?
    public var createdAfter: Date?
    public var sessionId: String?
    public var profileId: String?
    public var effectType: String?

    public init() {}
}

/// Read-side listings of customer data for the Management API (the Campaign Manager's views).
public protocol CustomerDataListing: Sendable {
    func sessions(applicationId: Int64, filter: SessionFilter, page: PageRequest) async throws -> Page<StoredSession>
    func storedSession(applicationId: Int64, id: Int64) async throws -> StoredSession
    func profiles(applicationId: Int64, integrationId: String?, page: PageRequest) async throws -> Page<CustomerProfile>
    func profile(applicationId: Int64, id: Int64) async throws -> CustomerProfile
    func events(applicationId: Int64, filter: EventFilter, page: PageRequest) async throws
        -> (events: [SessionEvent], hasMore: Bool)
}
