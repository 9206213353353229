import Foundation
import PromotionEngine
import Storage
import Testing

/// What several nodes on one database share: the configuration revision every configuration write moves
/// (seen by another store), account IP allowlists, and leases only one holder gets.
@Suite struct ClusterConformanceTests {
    @Test(arguments: Backends.all) func everyConfigurationWriteMovesTheRevisionSeenByAnotherNode(
        _ backend: any StoreBackend
    ) async throws {
        let database = try await backend.makeDatabase()
        let shop = try await Shop.open(try await database.open())
        let other = try await database.open()
        var last = try await other.configurationRevision()
        func moved(_ what: Comment) async throws {
            let now = try await other.configurationRevision()
            #expect(now > last, what)
            last = now
        }
        let campaign = try await shop.campaign()
        try await moved("campaign created")
        var settings = campaign.settings
        settings.state = .disabled
        _ = try await shop.store.updateCampaign(id: campaign.id, applicationId: shop.applicationId, settings: settings,
                                                now: Date())
        try await moved("campaign disabled")
        let key = try await shop.store.createIntegrationKey(IntegrationKey(
            id: 0, accountId: 1, applicationId: shop.applicationId, createdBy: 1, title: "k", keyHash: "cluster-key",
            expires: Date().addingTimeInterval(60), type: "", platform: nil, timeOffset: 0, created: Date()
        ))
        try await moved("integration key created")
        try await shop.store.deleteIntegrationKey(id: key.id, applicationId: shop.applicationId)
        try await moved("integration key deleted")
        try await shop.store.setIPAllowlist(accountId: 1, cidrs: ["10.0.0.0/8"])
        try await moved("allowlist set")
        #expect(try await other.ipAllowlist(accountId: 1) == ["10.0.0.0/8"])
        #expect(try await other.allApplicationIds() == [shop.applicationId])

        // Customer data is no configuration: a session close leaves the revision where it was.
        _ = try await shop.store.commitSession(shop.close("not-configuration"))
        #expect(try await other.configurationRevision() == last)
    }

    @Test(arguments: Backends.all) func aLeaseHasOneHolderUntilItExpires(_ backend: any StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let (one, two) = (try await database.open(), try await database.open())
        let now = Date().storagePrecision
        let later = now.addingTimeInterval(60)
        #expect(try await one.acquireLease(name: "prune", holder: "a", now: now, until: later))
        #expect(try await !two.acquireLease(name: "prune", holder: "b", now: now, until: later))
        #expect(try await one.acquireLease(name: "prune", holder: "a", now: now, until: later), "the holder renews")
        #expect(try await two.acquireLease(name: "other", holder: "b", now: now, until: later))
        #expect(try await two.acquireLease(name: "prune", holder: "b", now: later, until: later.addingTimeInterval(60)),
                "expired: another node takes it")
        #expect(try await !one.acquireLease(name: "prune", holder: "a", now: later, until: later.addingTimeInterval(60)))
    }
}
