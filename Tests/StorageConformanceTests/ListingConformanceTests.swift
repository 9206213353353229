import Foundation
import PromotionEngine
import Storage
import Testing

/// Listings, filters, uniqueness and times: what the Management API reads, written once for every backend.
@Suite struct ListingConformanceTests {
    @Test(arguments: Backends.all) func applicationsPageSortAndRefuseUnknownFields(_ backend: any StoreBackend)
        async throws
    {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        for name in ["zeta", "alpha", "mid"] {
            _ = try await shop.store.createApplication(
                accountId: 1, settings: ApplicationSettings(name: name, timezone: "UTC", currency: "EUR"), now: shop.now
            )
        }
        let page = try await shop.store.applications(
            accountId: 1, page: PageRequest(pageSize: 2, skip: 1, sort: SortField(parsing: "-name"))
        )
        #expect(page.items.map(\.settings.name) == ["shop", "mid"])
        #expect(page.totalCount == 4)
        await #expect(throws: StoreError.unsupportedSort(field: "colour")) {
            _ = try await shop.store.applications(accountId: 1, page: PageRequest(sort: SortField(parsing: "colour")))
        }
    }

    /// What a create returns equals what a read returns: times at millisecond precision on every backend.
    @Test(arguments: Backends.all) func timesReadBackAsWritten(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let created = Date(timeIntervalSince1970: 1_764_000_000.123_456)
        let application = try await shop.store.createApplication(
            accountId: 1, settings: ApplicationSettings(name: "t", timezone: "UTC", currency: "EUR"), now: created
        )
        let read = try await shop.store.application(id: application.id, accountId: 1)
        #expect(read.created == created.storagePrecision)
        #expect(read.created.timeIntervalSince1970 == 1_764_000_000.123)
    }

    @Test(arguments: Backends.all) func campaignFiltersByNameAndTag(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        for (name, tags) in [("Summer Sale", ["season"]), ("Winter sale", ["season", "vip"]), ("Other", ["vip"])] {
            _ = try await shop.store.createCampaign(applicationId: shop.applicationId, userId: 1,
                                                    settings: CampaignSettings(name: name, tags: tags), now: shop.now)
        }
        var filter = CampaignFilter()
        filter.name = "SALE"
        filter.tags = ["vip"]
        let page = try await shop.store.campaigns(applicationId: shop.applicationId, filter: filter, page: PageRequest())
        #expect(page.items.map(\.settings.name) == ["Winter sale"])
    }

    @Test(arguments: Backends.all) func couponFiltersAndKeysetPages(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        let used = try await shop.coupon("USED-1", of: campaign, usageLimit: 1)
        for code in ["FREE-1", "FREE-2", "OTHER"] { _ = try await shop.coupon(code, of: campaign) }
        _ = try await shop.store.commitSession(shop.close("s1", coupons: [used]))
        var filter = CouponFilter(campaignId: campaign.id)
        filter.value = "-"
        filter.usable = true
        let usable = try await shop.store.coupons(applicationId: shop.applicationId, filter: filter,
                                                  page: PageRequest())
        #expect(usable.coupons.map(\.value) == ["FREE-1", "FREE-2"])
        #expect(try await shop.store.countCoupons(applicationId: shop.applicationId, filter: filter) == 2)
        var pages: [[String]] = []
        try await shop.store.forEachCouponPage(applicationId: shop.applicationId, filter: CouponFilter(),
                                               pageSize: 3) { pages.append($0.map(\.value)) }
        #expect(pages == [["USED-1", "FREE-1", "FREE-2"], ["OTHER"]])
        let duplicate = Coupon(id: 0, campaignId: campaign.id, value: "OTHER", created: shop.now)
        await #expect(throws: StoreError.self) {
            _ = try await shop.store.insertCoupons([duplicate], applicationId: shop.applicationId,
                                                   normalizedValues: ["OTHER"], skipExisting: false)
        }
        var changes = CouponChanges()
        changes.attributes = ["tier": .string("gold")]
        #expect(try await shop.store.updateCoupons(applicationId: shop.applicationId, filter: filter, couponId: nil,
                                                   changes: changes) == 2)
        let free = try await shop.snapshot("-", codes: ["FREE-1", "OTHER"]).coupons
        #expect(free.first { $0.value == "FREE-1" }?.attributes == ["tier": .string("gold")])
        #expect(free.first { $0.value == "OTHER" }?.attributes == nil)
    }

    @Test(arguments: Backends.all) func sessionsAndEventsFilters(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let campaign = try await shop.campaign()
        let coupon = try await shop.coupon("CODE", of: campaign)
        _ = try await shop.store.commitSession(shop.close("s1", profileId: "p1", coupons: [coupon]))
        _ = try await shop.store.commitSession(shop.close("s2", profileId: "p2"))
        var sessionFilter = SessionFilter()
        sessionFilter.coupon = "COD"
        sessionFilter.partialMatch = true
        let sessions = try await shop.store.sessions(applicationId: shop.applicationId, filter: sessionFilter,
                                                     page: PageRequest())
        #expect(sessions.items.map(\.session.integrationId) == ["s1"])
        #expect(sessions.items.first?.profileInternalId != nil)
        var eventFilter = EventFilter()
        eventFilter.profileId = "p2"
        let events = try await shop.store.events(applicationId: shop.applicationId, filter: eventFilter,
                                                 page: PageRequest())
        #expect(events.events.map(\.sessionId) == ["s2"])
        var all: [String?] = []
        try await shop.store.forEachEventPage(applicationId: shop.applicationId, filter: EventFilter(), pageSize: 1) {
            all += $0.map(\.sessionId)
        }
        #expect(all == ["s1", "s2"])
    }

    /// What the exports read: sessions in id-keyset pages without a count, events with their owners' internal ids.
    @Test(arguments: Backends.all) func exportReadsPageByKeyAndNameInternalIds(_ backend: any StoreBackend)
        async throws
    {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        for (session, profile) in [("e1", "p1"), ("e2", nil), ("e3", "p1")] {
            _ = try await shop.store.commitSession(shop.close(session, profileId: profile))
        }
        var pages: [[String]] = []
        try await shop.store.forEachSessionPage(applicationId: shop.applicationId, filter: SessionFilter(),
                                                pageSize: 2) { pages.append($0.map(\.session.integrationId)) }
        #expect(pages == [["e1", "e2"], ["e3"]])
        var later = SessionFilter()
        later.updatedAfter = shop.now.addingTimeInterval(60)
        var none: [StoredSession] = []
        try await shop.store.forEachSessionPage(applicationId: shop.applicationId, filter: later) { none += $0 }
        #expect(none.isEmpty)
        let sessions = try await shop.store.sessions(applicationId: shop.applicationId, filter: SessionFilter(),
                                                     page: PageRequest()).items
        var events = EventFilter()
        events.withInternalIds = true
        var read: [SessionEvent] = []
        try await shop.store.forEachEventPage(applicationId: shop.applicationId, filter: events) { read += $0 }
        #expect(read.map(\.sessionInternalId) == sessions.map(\.session.id))
        #expect(read.map(\.profileInternalId) == sessions.map(\.profileInternalId))
        #expect(read[0].profileInternalId != nil && read[1].profileInternalId == nil)
    }

    @Test(arguments: Backends.all) func erasingACustomerKeepsCounters(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        var close = shop.close("s1", profileId: "p1", total: 5)
        close.session.attributes = ["Name": .string("Ada")]
        _ = try await shop.store.commitSession(close)
        _ = try await shop.store.commitProfile(ProfileCommit(
            applicationId: shop.applicationId, integrationId: "p1", attributes: ["Name": .string("Ada")], event: nil,
            now: shop.now
        ))
        try await shop.store.eraseCustomerData(applicationId: shop.applicationId, integrationId: "p1")
        let snapshot = try await shop.snapshot("s1")
        #expect(snapshot.session?.attributes == [:])
        #expect(snapshot.profile?.attributes == [:])
        #expect(snapshot.profile?.totalSales == 5)
        await #expect(throws: StoreError.notFound(entity: "customer profile")) {
            try await shop.store.eraseCustomerData(applicationId: shop.applicationId, integrationId: "nobody")
        }
    }

    @Test(arguments: Backends.all) func uniqueNamesAreConflicts(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let definition = AttributeDefinition(entity: .customerProfile, name: "tier", type: .string)
        _ = try await shop.store.createAttribute(accountId: 1, definition: definition, now: shop.now)
        await #expect(throws: StoreError.self) {
            _ = try await shop.store.createAttribute(accountId: 1, definition: definition, now: shop.now)
        }
        let shipping = try await shop.store.createAdditionalCost(
            accountId: 1, settings: AdditionalCostSettings(name: "shipping", title: "Shipping"), now: shop.now
        )
        let wrapping = try await shop.store.createAdditionalCost(
            accountId: 1, settings: AdditionalCostSettings(name: "wrapping", title: "Wrapping"), now: shop.now
        )
        await #expect(throws: StoreError.self) {
            _ = try await shop.store.createAdditionalCost(
                accountId: 1, settings: AdditionalCostSettings(name: "shipping", title: "Again"), now: shop.now
            )
        }
        await #expect(throws: StoreError.self) {
            _ = try await shop.store.updateAdditionalCost(
                id: wrapping.id, accountId: 1, settings: AdditionalCostSettings(name: "shipping", title: "Clash")
            )
        }
        #expect(try await shop.store.additionalCostIds(applicationId: shop.applicationId)
            == ["shipping": shipping.id, "wrapping": wrapping.id])
        let effects = try await shop.store.customEffectIds(applicationId: shop.applicationId, names: ["a", "b"])
        #expect(try await shop.store.customEffectIds(applicationId: shop.applicationId, names: ["a"]) == ["a": effects["a"]!])
    }

    @Test(arguments: Backends.all) func accessLogFiltersAndPrunes(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        let old = Date(timeIntervalSince1970: 1_700_000_000)
        let entries = [(old, 200, "/v2/customer_sessions/a"), (shop.now, 404, "/v2/customer_sessions/b"),
                       (shop.now, 200, "/v2/customer_profiles/c")].enumerated().map { index, entry in
            AccessLogEntry(uuid: "u\(index)", applicationId: shop.applicationId, method: "PUT", requestUri: entry.2,
                           status: entry.1, time: entry.0, durationMilliseconds: 1.5, requestPayload: "{}",
                           responsePayload: "{}")
        }
        try await shop.store.appendAccessLogs(entries)
        let filter = AccessLogFilter(rangeStart: old.addingTimeInterval(-1), rangeEnd: shop.now.addingTimeInterval(1),
                                     path: "sessions", method: "put", status: "success")
        let found = try await shop.store.accessLogs(applicationId: shop.applicationId, filter: filter,
                                                    page: PageRequest())
        #expect(found.entries.map(\.uuid) == ["u0"])
        #expect(found.entries.first?.durationMilliseconds == 1.5)
        #expect(try await shop.store.pruneAccessLogs(before: old.addingTimeInterval(1)) == 1)
    }
}
