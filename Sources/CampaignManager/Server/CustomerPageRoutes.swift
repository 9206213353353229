import Foundation
import HTTPAPI
import Hummingbird
import PromotionEngine
import Storage

/// `/applications/{id}/customers…` and `/applications/{id}/sessions…`: the Management API's customer data
/// listings, as pages.
struct CustomerPageRoutes: Sendable {
    let store: any Store

    func register(on pages: RouterGroup<SContoRequestContext>) {
        pages.get("/applications/:applicationId/customers") { request, context in
            let (user, application) = try await Pages.application(request, context, store: store)
            let query = Pages.query(request, "q")
            let paging = Pages.paging(request, keeping: ["q"])
            let profiles = try await store.profiles(applicationId: application.id, integrationId: query,
                                                    page: paging.request(sortedBy: "-lastActivity"))
            return Pages.html(CustomersPage.list(application, profiles: profiles, query: query, paging: paging, user: user))
        }
        pages.get("/applications/:applicationId/customers/:profileId") { request, context in
            let (user, application) = try await Pages.application(request, context, store: store)
            let profile = try await store.profile(applicationId: application.id, id: Pages.id(context, "profileId"))
            var filter = SessionFilter()
            filter.profileId = profile.integrationId
            let paging = Pages.paging(request, keeping: [])
            let sessions = try await store.sessions(applicationId: application.id, filter: filter,
                                                    page: paging.request(sortedBy: "-id"))
            let loyalty = try await loyaltyBalances(profile.integrationId, applicationId: application.id,
                                                    accountId: user.accountId)
            return Pages.html(CustomersPage.profile(application, profile: profile, sessions: sessions, paging: paging,
                                                    loyalty: loyalty, user: user))
        }
        pages.get("/applications/:applicationId/sessions") { request, context in
            let (user, application) = try await Pages.application(request, context, store: store)
            let query = Pages.query(request, "q")
            var filter = SessionFilter()
            filter.integrationId = query
            filter.partialMatch = true
            let paging = Pages.paging(request, keeping: ["q"])
            let sessions = try await store.sessions(applicationId: application.id, filter: filter,
                                                    page: paging.request(sortedBy: "-id"))
            return Pages.html(SessionsPage.list(application, sessions: sessions, query: query, paging: paging, user: user))
        }
        pages.get("/applications/:applicationId/sessions/:sessionId") { request, context in
            let (user, application) = try await Pages.application(request, context, store: store)
            let stored = try await store.storedSession(applicationId: application.id, id: Pages.id(context, "sessionId"))
            var filter = EventFilter()
            filter.sessionId = stored.session.integrationId
            filter.chronological = true
            let events = try await store.events(applicationId: application.id, filter: filter,
                                                page: PageRequest(pageSize: 1000)).events
            return Pages.html(SessionsPage.session(application, stored: stored, events: events, user: user))
        }
    }

    /// The profile's main-ledger balance in each profile-based program the application is subscribed to.
    private func loyaltyBalances(_ integrationId: String, applicationId: Int64, accountId: Int64) async throws
        -> [(program: LoyaltyProgram, balance: LoyaltyBalance)]
    {
        var balances: [(LoyaltyProgram, LoyaltyBalance)] = []
        let now = Date().storagePrecision
        for program in try await store.loyaltyPrograms(accountId: accountId)
        where !program.settings.cardBased && program.settings.subscribedApplications.contains(applicationId) {
            let ledgers = try await store.loyaltyBalances(programId: program.id, holder: .profile(integrationId), now: now)
            balances.append((program, ledgers[""] ?? LoyaltyBalance()))
        }
        return balances
    }
}
