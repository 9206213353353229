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
            return Pages.html(CustomersPage.profile(application, profile: profile, sessions: sessions, paging: paging,
                                                    user: user))
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
}
