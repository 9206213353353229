import Foundation
import PromotionEngine
import Storage
import Testing

/// Advanced events: the shop's integration id is unique per application, held by the database under races.
@Suite struct EventV3ConformanceTests {
    static func track(_ shop: Shop, integrationId: String, profile: String) -> ProfileCommit {
        var event = SessionEvent(applicationId: shop.applicationId, type: .custom("shared"), sessionId: nil,
                                 profileId: profile, effects: [], created: shop.now)
        event.integrationId = integrationId
        event.connectedSessionId = "closed-1"
        return ProfileCommit(applicationId: shop.applicationId, integrationId: profile, attributes: [:], event: event,
                             now: shop.now)
    }

    @Test(arguments: Backends.all) func twentyIdenticalEventsFromTwoNodesStoreOne(_ backend: any StoreBackend)
        async throws
    {
        let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                let store = stores[index % stores.count]
                let commit = Self.track(shop, integrationId: "evt-1", profile: "p\(index)")
                group.addTask {
                    do {
                        _ = try await store.commitProfiles([commit])
                        return true
                    } catch StoreError.conflict {
                        return false
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        var filter = EventFilter()
        filter.integrationId = "evt-1"
        let stored = try await shop.store.events(applicationId: shop.applicationId, filter: filter, page: PageRequest())
        #expect(stored.events.count == 1)
        #expect(stored.events.first?.connectedSessionId == "closed-1")
        // Another id, and events without one (v2), are not affected.
        _ = try await shop.store.commitProfiles([Self.track(shop, integrationId: "evt-2", profile: "p0")])
        var plain = Self.track(shop, integrationId: "", profile: "p0")
        plain.event?.integrationId = nil
        _ = try await shop.store.commitProfiles([plain, plain])
    }
}
