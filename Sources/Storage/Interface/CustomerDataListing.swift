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
    public var updatedBefore: Date?
    public var updatedAfter: Date?
    /// Keyset paging in id order (exports): only sessions after this id.
    public var afterId: Int64?
    /// Whether the page counts every matching session (a listing's total); exports walk without it.
    public var countsTotal = true

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
    /// An advanced event's integration id.
    public var integrationId: String?
    /// Keyset paging in creation order: only events after this one (by `created`, then `id`).
    public var after: (created: Date, id: Int64)?
    /// Oldest first by `created` then `id` (an indexed order), instead of the listing's newest first.
    public var chronological = false
    /// Also read the internal ids of each event's session and profile (exports name them).
    public var withInternalIds = false

    public init() {}
}

extension CustomerDataListing {
    /// Every event the filter names, oldest first, a page at a time (keyset paging on the application's
    /// creation-time index: each page costs the same however deep it is).
    public func forEachEventPage(
        applicationId: Int64, filter: EventFilter, pageSize: Int = 1000, _ body: ([SessionEvent]) async throws -> Void
    ) async throws {
        var filter = filter
        filter.chronological = true
        while true {
            let (page, hasMore) = try await events(applicationId: applicationId, filter: filter,
                                                   page: PageRequest(pageSize: pageSize))
            if !page.isEmpty { try await body(page) }
            guard hasMore, let last = page.last else { return }
            filter.after = (last.created, last.id)
        }
    }
}

extension CustomerDataListing {
    /// Every session the filter names, in id order, a page at a time without counting them (keyset paging:
    /// only one page is in memory however many there are).
    public func forEachSessionPage(
        applicationId: Int64, filter: SessionFilter, pageSize: Int = 1000, _ body: ([StoredSession]) async throws -> Void
    ) async throws {
        var filter = filter
        filter.countsTotal = false
        while true {
            let page = try await sessions(applicationId: applicationId, filter: filter,
                                          page: PageRequest(pageSize: pageSize))
            if !page.items.isEmpty { try await body(page.items) }
            guard page.items.count == pageSize, let last = page.items.last else { return }
            filter.afterId = last.session.id
        }
    }
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
