import Foundation
import HTTPAPI
import Hummingbird
import PromotionEngine
import Storage

/// `/applications/{id}/campaigns/{id}/coupons…`: search, edit (usage limit, expiry) and delete coupons with the
/// store calls and checks of the Management API's coupon routes.
struct CouponPageRoutes: Sendable {
    let store: any Store
    let maxBodySize: Int

    func register(on pages: RouterGroup<SContoRequestContext>) {
        let coupons = "/applications/:applicationId/campaigns/:campaignId/coupons"
        pages.get(RouterPath(coupons)) { request, context in
            let (user, application, campaign) = try await target(request, context)
            return try await page(user, application, campaign, query: Pages.query(request, "q"),
                                  paging: Pages.paging(request, keeping: ["q"]), notice: Pages.query(request, "done"))
        }
        pages.get(RouterPath(coupons + "/export")) { request, context in
            let (_, application, campaign) = try await target(request, context)
            var filter = CouponFilter(campaignId: campaign.id)
            filter.value = Pages.query(request, "q")
            return Response(status: .ok, headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"coupons-campaign-\(campaign.id).csv\"",
            ], body: CouponFiles.export(store: store, applicationId: application.id, filter: filter))
        }
        pages.post(RouterPath(coupons + "/import")) { request, context in
            let (user, application, campaign) = try await target(request, context)
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            func refused(_ message: String) async throws -> Response {
                try await page(user, application, campaign, query: nil, issues: [.init(pointer: "/csv", message: message)],
                               status: .badRequest)
            }
            do {
                let parsed = try CouponFiles.coupons(fromCSV: form["csv"] ?? "", campaignId: campaign.id)
                // One transaction, as the API's import: a code that exists fails it all unless skipped.
                let inserted = try await store.insertCoupons(
                    parsed, applicationId: application.id,
                    normalizedValues: parsed.map { application.normalizedCouponCode($0.value) },
                    skipExisting: form.isChecked("skipDuplicates")
                )
                return redirect(application, campaign, "Imported \(inserted.count) coupons.")
            } catch let error as APIError {
                return try await refused(error.message)
            } catch StoreError.conflict {
                return try await refused("a code in the file exists already (tick \"skip codes that exist\" to import the rest)")
            }
        }
        pages.post(RouterPath(coupons + "/:couponId")) { request, context in
            let (user, application, campaign) = try await target(request, context)
            let id = try Pages.id(context, "couponId")
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            var changes = CouponChanges()
            var issues: [ValidationIssue] = []
            if let limit = Int(form.text("usageLimit")) { changes.usageLimit = limit }
            else { issues.append(.init(pointer: "/usageLimit", message: "must be a whole number")) }
            let expiry = form.text("expiryDate")
            if !expiry.isEmpty {
                if let date = LogPageRoutes.parse(expiry) { changes.expiryDate = date }
                else { issues.append(.init(pointer: "/expiryDate", message: "must be a date and time")) }
            }
            issues += changes.validate()
            guard issues.isEmpty else {
                return try await page(user, application, campaign, query: nil, issues: issues, status: .badRequest)
            }
            _ = try await store.updateCoupons(applicationId: application.id, filter: CouponFilter(campaignId: campaign.id),
                                              couponId: id, changes: changes)
            let coupon = try await store.coupon(id: id, applicationId: application.id, filter: CouponFilter(campaignId: campaign.id))
            return redirect(application, campaign, "Saved \(coupon.value).")
        }
        pages.post(RouterPath(coupons + "/:couponId/delete")) { request, context in
            let (_, application, campaign) = try await target(request, context)
            let filter = CouponFilter(campaignId: campaign.id)
            let coupon = try await store.coupon(id: Pages.id(context, "couponId"), applicationId: application.id, filter: filter)
            _ = try await store.deleteCoupons(applicationId: application.id, filter: filter, couponId: coupon.id)
            return redirect(application, campaign, "Deleted \(coupon.value).")
        }
    }

    private func redirect(_ application: PromotionEngine.Application, _ campaign: Campaign, _ notice: String) -> Response {
        let text = notice.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return Response.redirect(to: "/applications/\(application.id)/campaigns/\(campaign.id)/coupons?done=\(text)")
    }

    private func page(
        _ user: ManagerLogin.User, _ application: PromotionEngine.Application, _ campaign: Campaign, query: String?,
        paging: Paging = Paging(), notice: String? = nil, issues: [ValidationIssue] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var filter = CouponFilter(campaignId: campaign.id)
        filter.value = query
        let (coupons, hasMore) = try await store.coupons(applicationId: application.id, filter: filter,
                                                         page: paging.request)
        return Pages.html(CouponsPage.render(application, campaign: campaign, coupons: coupons, hasMore: hasMore,
                                             query: query, paging: paging, user: user, notice: notice, issues: issues), status: status)
    }

    private func target(_ request: Request, _ context: SContoRequestContext) async throws
        -> (ManagerLogin.User, PromotionEngine.Application, Campaign)
    {
        let (user, application) = try await Pages.application(request, context, store: store)
        return (user, application, try await store.campaign(id: Pages.id(context, "campaignId"), applicationId: application.id))
    }
}
