import Foundation
import HTTPAPI
import Hummingbird
import PromotionEngine
import Storage

/// `/applications/{id}/logs`: the access log the Management API lists, filtered by status, path and time.
struct LogPageRoutes: Sendable {
    let store: any Store

    func register(on pages: RouterGroup<SContoRequestContext>) {
        pages.get("/applications/:applicationId/logs") { request, context in
            let (user, application) = try await Pages.application(request, context, store: store)
            let filters = LogsPage.Filters(
                status: Pages.query(request, "status") ?? "", path: Pages.query(request, "path") ?? "",
                from: Pages.query(request, "from") ?? "", to: Pages.query(request, "to") ?? ""
            )
            var issues: [ValidationIssue] = []
            let now = Date()
            func time(_ text: String, _ name: String, default fallback: Date) -> Date {
                guard !text.isEmpty else { return fallback }
                guard let date = Self.parse(text) else {
                    issues.append(.init(pointer: "/\(name)", message: "must be a date and time"))
                    return fallback
                }
                return date
            }
            let filter = AccessLogFilter(
                rangeStart: time(filters.from, "from", default: now.addingTimeInterval(-7 * 86400)),
                rangeEnd: time(filters.to, "to", default: now.addingTimeInterval(60)),
                path: filters.path.isEmpty ? nil : filters.path,
                status: ["success", "error"].contains(filters.status) ? filters.status : nil
            )
            let paging = Pages.paging(request, keeping: ["status", "path", "from", "to"])
            let (entries, hasMore) = try await store.accessLogs(applicationId: application.id, filter: filter,
                                                                 page: paging.request)
            return Pages.html(LogsPage.render(application, entries: entries, hasMore: hasMore, filters: filters,
                                              paging: paging, user: user, issues: issues),
                              status: issues.isEmpty ? .ok : .badRequest)
        }
    }

    /// `datetime-local` sends `2026-11-27T15:04` (seconds optional); read as UTC.
    static func parse(_ text: String) -> Date? {
        let withSeconds = text.count == 16 ? text + ":00" : text
        return try? Date(withSeconds + "Z", strategy: .iso8601)
    }
}
