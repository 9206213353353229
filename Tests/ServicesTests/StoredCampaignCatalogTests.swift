import Foundation
import PromotionEngine
import SQLiteStorage
import Services
import Storage
import Testing

@Suite struct StoredCampaignCatalogTests {
    @Test func concurrentMissesCompileOnceAndAChangeCompilesAgain() async throws {
        let fixture = try await Fixture()
        let catalog = StoredCampaignCatalog(store: fixture.store)
        let changesBefore = ConfigurationChanges.current
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask { _ = try await catalog.lineup(applicationId: fixture.application.id) }
            }
            try await group.waitForAll()
        }
        // Other suites running in parallel may commit configuration meanwhile: a load never joins one begun
        // before a change it saw, so each such change may cost one more compilation, and nothing else may.
        let interference = ConfigurationChanges.current - changesBefore
        let compiled = await catalog.compilations
        #expect(compiled >= 1 && compiled <= 1 + interference, "\(compiled) compilations for 50 concurrent misses")

        _ = try await fixture.store.createCampaign(applicationId: fixture.application.id, userId: 1,
                                                   settings: CampaignSettings(name: "new"), now: Date())
        _ = try await catalog.lineup(applicationId: fixture.application.id)
        #expect(await catalog.compilations == compiled + 1)
    }
}
