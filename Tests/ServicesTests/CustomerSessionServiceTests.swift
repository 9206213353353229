import Foundation
import PromotionEngine
import SQLiteStorage
import Services
import Storage
import Testing

/// The session service on a real SQLite file, with a campaign compiled by hand (10 off any cart).
struct Fixture {
    let store: SQLiteStore
    let application: Application
    let service: CustomerSessionService

    init() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("svc-\(UUID().uuidString).sqlite").path
        store = try SQLiteStore(path: path)
        _ = try await store.bootstrapAccount(adminEmail: "a@x", adminName: "A", passwordHash: "h", now: Date())
        application = try await store.createApplication(
            accountId: 1, settings: .init(name: "shop", timezone: "UTC", currency: "EUR"), now: Date()
        )
        let tenOff = CampaignProgram(campaignId: 5, rulesetId: 50, name: "ten off", rules: [
            CompiledRule(title: "10 off", condition: { _ in true }, effects: [{ $0.setDiscount(name: "10 off", value: 10) }]),
        ])
        service = CustomerSessionService(store: store, campaigns: StaticCampaignCatalog([application.id: [tenOff]]))
    }

    func update(_ id: String, dry: Bool = false, _ configure: (inout SessionUpdate) -> Void) async throws
        -> SessionUpdateResult
    {
        var update = SessionUpdate()
        configure(&update)
        return try await service.update(application: application, sessionId: id, update: update, dry: dry)
    }
}

func cart(_ prices: Decimal...) -> [CartItem] {
    prices.enumerated().map { CartItem(sku: "sku-\($0.offset)", quantity: 1, price: $0.element) }
}

@Suite struct CustomerSessionServiceTests {
    @Test func firstUpdateCreatesSessionAndProfile() async throws {
        let fixture = try await Fixture()
        let result = try await fixture.update("s1") { $0.profileId = "max"; $0.cartItems = cart(30, 20) }
        #expect(result.session.updateCount == 1)
        #expect(result.session.total == 50)
        #expect(result.effects.map(\.type) == [.setDiscount])
        #expect(try await fixture.store.profile(applicationId: fixture.application.id, integrationId: "max") != nil)
    }

    @Test func omittedFieldsKeepTheirValues() async throws {
        let fixture = try await Fixture()
        _ = try await fixture.update("s1") { $0.profileId = "max"; $0.cartItems = cart(30) }
        let second = try await fixture.update("s1") { $0.attributes = ["ShippingMethod": .string("DHL")] }
        #expect(second.session.cartItems.count == 1)
        #expect(second.session.profileId == "max")
        #expect(second.session.updateCount == 2)
    }

    @Test func closingCountsTheSaleAndCancelGivesItBack() async throws {
        let fixture = try await Fixture()
        _ = try await fixture.update("s1") { $0.profileId = "max"; $0.cartItems = cart(30, 20) }
        let closed = try await fixture.update("s1") { $0.state = .closed }
        #expect(closed.session.state == .closed)
        #expect(closed.profile?.closedSessions == 1)
        #expect(closed.profile?.totalSales == 50)
        #expect(closed.event.type == .sessionClosed && closed.event.type.rawValue == "talon_session_closed")

        let cancelled = try await fixture.update("s1") { $0.state = .cancelled }
        #expect(cancelled.effects.map(\.type) == [.rollbackDiscount])
        #expect(cancelled.effects.first?.kind.props["value"] == .number(10))
        #expect(cancelled.profile?.closedSessions == 0)
        #expect(cancelled.profile?.totalSales == 0)
    }

    @Test func closedSessionsCannotBeReopenedByAnUpdate() async throws {
        let fixture = try await Fixture()
        _ = try await fixture.update("s1") { $0.state = .closed; $0.cartItems = cart(5) }
        await #expect(throws: ValidationIssue.self) { _ = try await fixture.update("s1") { $0.state = .open } }
        await #expect(throws: ValidationIssue.self) { _ = try await fixture.update("s1") { $0.cartItems = cart(1) } }
        let stored = try await fixture.store.session(applicationId: fixture.application.id, sessionId: "s1")
        #expect(stored?.0.state == .closed)
        #expect(stored?.0.cartItems.count == 1)
    }

    @Test func dryRunsPersistNothing() async throws {
        let fixture = try await Fixture()
        let dry = try await fixture.update("s1", dry: true) { $0.profileId = "ghost"; $0.cartItems = cart(30) }
        #expect(dry.effects.map(\.type) == [.setDiscount])
        #expect(try await fixture.store.session(applicationId: fixture.application.id, sessionId: "s1") == nil)
        #expect(try await fixture.store.profile(applicationId: fixture.application.id, integrationId: "ghost") == nil)
    }

    @Test func concurrentUpdatesOfOneSessionAreSerialized() async throws {
        let fixture = try await Fixture()
        _ = try await fixture.update("s1") { $0.cartItems = cart(1) }
        // Three at once fit the line (one runs, two wait); none may be lost.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask { _ = try await fixture.update("s1") { $0.attributes = [:] } }
            }
            try await group.waitForAll()
        }
        let stored = try await fixture.store.session(applicationId: fixture.application.id, sessionId: "s1")
        #expect(stored?.0.updateCount == 4)
    }
}

@Suite struct ReopenAndReturnTests {
    @Test func reopenGivesBackWhatClosingTook() async throws {
        let fixture = try await Fixture()
        _ = try await fixture.update("s1") { $0.profileId = "max"; $0.cartItems = cart(40); $0.state = .closed }
        let reopened = try await fixture.service.reopen(application: fixture.application, sessionId: "s1")
        #expect(reopened.session.state == .open)
        #expect(reopened.effects.map(\.type) == [.rollbackDiscount])
        #expect(reopened.profile?.closedSessions == 0)
        #expect(reopened.profile?.totalSales == 0)
        // Open again, it can be updated and closed again.
        let closedAgain = try await fixture.update("s1") { $0.state = .closed }
        #expect(closedAgain.profile?.closedSessions == 1)
        // A session that is open cannot be reopened.
        _ = try await fixture.service.reopen(application: fixture.application, sessionId: "s1")
        await #expect(throws: ValidationIssue.self) {
            _ = try await fixture.service.reopen(application: fixture.application, sessionId: "s1")
        }
    }

    @Test func returnsReduceSalesAndMarkTheSession() async throws {
        let fixture = try await Fixture()
        _ = try await fixture.update("s1") {
            $0.profileId = "max"
            $0.cartItems = [CartItem(sku: "a", quantity: 3, price: 10), CartItem(sku: "b", quantity: 1, price: 5)]
            $0.state = .closed
        }
        let returned = try await fixture.service.returnItems(
            application: fixture.application, sessionId: "s1", items: [ReturnedCartItem(position: 0, quantity: 2)]
        )
        #expect(returned.session.state == .partiallyReturned)
        #expect(returned.session.cartItems[0].returnedQuantity == 2)
        #expect(returned.session.cartItems[0].remainingQuantity == 1)
        #expect(returned.profile?.totalSales == 15)
        await #expect(throws: ValidationIssue.self) {
            _ = try await fixture.service.returnItems(
                application: fixture.application, sessionId: "s1", items: [ReturnedCartItem(position: 0, quantity: 2)]
            )
        }
    }

    @Test func openSessionsHaveNoReturns() async throws {
        let fixture = try await Fixture()
        _ = try await fixture.update("s1") { $0.cartItems = cart(1) }
        await #expect(throws: ValidationIssue.self) {
            _ = try await fixture.service.returnItems(
                application: fixture.application, sessionId: "s1", items: [ReturnedCartItem(position: 0, quantity: 1)]
            )
        }
    }
}
