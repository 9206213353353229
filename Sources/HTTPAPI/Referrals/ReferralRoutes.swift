import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// Referral codes: created by the shop for an advocate (Integration API), listed, changed and deleted per
/// campaign, and the friends an advocate brought (Management API).
struct ReferralRoutes {
    let store: any Store
    let configuration: APIConfiguration

    struct NewReferral: Decodable {
        var campaignId: Int64
        var advocateProfileIntegrationId: String
        var friendProfileIntegrationId: String?
    }

    struct NewReferralsForAdvocates: Decodable {
        var campaignId: Int64
        var advocateProfileIntegrationIds: [String]
        var validCharacters: [String]?
        var referralPattern: String?
    }

    struct ReferralUpdate: Decodable {
        var friendProfileIntegrationId: String?
    }

    func registerIntegration(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/referrals") { request, context in
            let key = try context.integrationKey()
            let decoded = try await request.decodeJSON(WithReferralFields<NewReferral>.self, limit: configuration.maxBodySize)
            let (body, fields) = (decoded.body, decoded.fields)
            try check(fields.validate())
            try Identifier.field(body.advocateProfileIntegrationId, pointer: "/advocateProfileIntegrationId")
            try Identifier.field(body.friendProfileIntegrationId, pointer: "/friendProfileIntegrationId")
            guard !body.advocateProfileIntegrationId.isEmpty, body.advocateProfileIntegrationId.count <= 1000 else {
                throw APIError.badRequest(pointer: "/advocateProfileIntegrationId", "must be 1 to 1000 characters")
            }
            let (application, campaign) = try await referralCampaign(key, campaignId: body.campaignId)
            var template = Self.template(fields, campaign: campaign.id)
            template.advocateProfileIntegrationId = body.advocateProfileIntegrationId
            template.friendProfileIntegrationId = body.friendProfileIntegrationId.flatMap { $0.isEmpty ? nil : $0 }
            let created = try await insert([template], application: application,
                                           pattern: Self.pattern(of: campaign, body: nil, characters: nil))
            return try WireCoding.response(ReferralBody(created[0]), status: .created)
        }
        routes.on(.post, "/v1/referrals_for_multiple_advocates") { request, context in
            let key = try context.integrationKey()
            let decoded = try await request.decodeJSON(WithReferralFields<NewReferralsForAdvocates>.self, limit: configuration.maxBodySize)
            let (body, fields) = (decoded.body, decoded.fields)
            var issues = fields.validate()
            if !(1...1000).contains(body.advocateProfileIntegrationIds.count) {
                issues.append(.init(pointer: "/advocateProfileIntegrationIds", message: "must name 1 to 1000 advocates"))
            }
            for (index, advocate) in body.advocateProfileIntegrationIds.enumerated()
            where advocate.isEmpty || advocate.count > 1000 || Identifier.hasControlCharacters(advocate) {
                issues.append(.init(pointer: "/advocateProfileIntegrationIds/\(index)",
                                    message: "must be 1 to 1000 characters, no control characters"))
            }
            if let pattern = body.referralPattern, !(3...100).contains(pattern.count) || !pattern.contains("#") {
                issues.append(.init(pointer: "/referralPattern", message: "must be 3 to 100 characters with at least one #"))
            }
            try check(issues)
            let (application, campaign) = try await referralCampaign(key, campaignId: body.campaignId)
            let templates = body.advocateProfileIntegrationIds.map { advocate in
                var template = Self.template(fields, campaign: campaign.id)
                template.advocateProfileIntegrationId = advocate
                return template
            }
            let pattern = Self.pattern(of: campaign, body: body.referralPattern, characters: body.validCharacters)
            let created = try await insert(templates, application: application, pattern: pattern)
            if request.uri.queryParameters.get("silent") == "no" {
                return try WireCoding.response(Listing(totalResultSize: created.count, data: created.map(ReferralBody.init)),
                                               status: .created)
            }
            return Response(status: .noContent)
        }
    }

    func registerManagement(on routes: RouteRegistrar) {
        let referrals = "/v1/applications/:applicationId/campaigns/:campaignId/referrals"
        routes.on(.get, referrals + "/no_total") { request, context in
            let (application, campaign) = try await target(context)
            let query = request.uri.queryParameters
            var filter = ReferralFilter(campaignId: campaign.id)
            filter.code = query.get("code")
            filter.advocate = query.get("advocate")
            filter.createdBefore = try request.dateParameter("createdBefore")
            filter.createdAfter = try request.dateParameter("createdAfter")
            if let usable = query.get("usable") {
                guard ["true", "false"].contains(usable) else { throw APIError.badParameter("usable", "must be true or false") }
                filter.usable = usable == "true"
            }
            let (found, hasMore) = try await store.referrals(applicationId: application.id, filter: filter,
                                                             page: request.pageRequest())
            return try WireCoding.response(ListingWithoutTotal(hasMore: hasMore, data: found.map(ReferralBody.init)))
        }
        routes.on(.post, "/v1/applications/:applicationId/campaigns/:campaignId/import_referrals") { request, context in
            let (application, campaign) = try await target(context)
            let (accountId, userId) = try context.managementCaller()
            guard campaign.settings.features.contains(.referrals) else {
                throw APIError.badParameter("campaignId", "the campaign does not have the referrals feature")
            }
            let csv = try await request.uploadedCSV(maxBodySize: configuration.maxBodySize)
            let imported = try ReferralImport.referrals(fromCSV: csv, campaignId: campaign.id, application: application)
            // One transaction: a code the application has already fails the whole import (409).
            let inserted = try await store.insertReferrals(
                imported, applicationId: application.id,
                normalizedCodes: imported.map { application.normalizedCouponCode($0.code) }, skipExisting: false
            )
            return try WireCoding.response(CouponFileRoutes.ImportBody(
                id: inserted.first?.id ?? 0, created: Date().storagePrecision, accountId: accountId, userId: userId,
                entity: "Referral", amount: inserted.count
            ))
        }
        routes.on(.put, referrals + "/:referralId") { request, context in
            let (application, campaign) = try await target(context)
            let decoded = try await request.decodeJSON(WithReferralFields<ReferralUpdate>.self, limit: configuration.maxBodySize)
            let (update, fields) = (decoded.body, decoded.fields)
            try check(fields.validate())
            try Identifier.field(update.friendProfileIntegrationId, pointer: "/friendProfileIntegrationId")
            var changes = ReferralChanges()
            changes.friendProfileIntegrationId = update.friendProfileIntegrationId
            changes.startDate = fields.startDate.map { .some($0) }
            changes.expiryDate = fields.expiryDate.map { .some($0) }
            changes.usageLimit = fields.usageLimit
            changes.attributes = fields.attributes
            let referral = try await store.updateReferral(id: context.id("referralId"), applicationId: application.id,
                                                          campaignId: campaign.id, changes: changes)
            return try WireCoding.response(ReferralBody(referral))
        }
        routes.on(.delete, referrals + "/:referralId") { _, context in
            let (application, campaign) = try await target(context)
            try await store.deleteReferral(id: context.id("referralId"), applicationId: application.id,
                                           campaignId: campaign.id)
            return Response(status: .noContent)
        }
        routes.on(.get, "/v1/applications/:applicationId/export_referrals") { request, context in
            let application = try await store.application(
                id: context.id("applicationId"), accountId: context.managementCaller().accountId
            )
            let query = request.uri.queryParameters
            var filter = ReferralFilter(campaignId: try query.get("campaignId").map { text in
                guard let id = Int64(text) else { throw APIError.badParameter("campaignId", "must be an integer") }
                return id
            })
            filter.createdBefore = try request.dateParameter("createdBefore")
            filter.createdAfter = try request.dateParameter("createdAfter")
            filter.batchId = query.get("batchId")
            if let valid = query.get("valid") {
                guard let validity = ReferralFilter.Validity(rawValue: valid) else {
                    throw APIError.badParameter("valid", "must be expired, validNow or validFuture")
                }
                filter.validity = validity
            }
            if let usable = query.get("usable") {
                guard ["true", "false"].contains(usable) else { throw APIError.badParameter("usable", "must be true or false") }
                filter.usable = usable == "true"
            }
            return Response(status: .ok, headers: [.contentType: "text/csv"],
                            body: ReferralCodes.export(store: store, applicationId: application.id, filter: filter))
        }
        routes.on(.get, "/v1/applications/:applicationId/profile/:integrationId/friends") { request, context in
            let application = try await store.application(
                id: context.id("applicationId"), accountId: context.managementCaller().accountId
            )
            let advocate = try Identifier.parameter(context.parameters.get("integrationId"), name: "integrationId")
            let page = try request.pageRequest()
            let (friends, hasMore) = try await store.referredFriends(
                applicationId: application.id, advocateProfileIntegrationId: advocate, page: page
            )
            let data = friends.map { friend in
                FriendBody(applicationId: application.id, sessionId: friend.sessionId,
                           advocateIntegrationId: friend.advocateProfileIntegrationId,
                           friendIntegrationId: friend.friendProfileIntegrationId, code: friend.code,
                           created: friend.created)
            }
            // `totalResultSize` only when asked (`withTotalResultSize`), as the spec says; else `hasMore`.
            var listing = FriendListing(hasMore: hasMore, data: data)
            if request.uri.queryParameters.get("withTotalResultSize") == "true", !hasMore {
                listing.totalResultSize = page.skip + data.count
            }
            return try WireCoding.response(listing)
        }
    }

    /// The SDK's `ApplicationReferee`: a friend an advocate brought.
    struct FriendBody: Encodable, Sendable {
        var applicationId: Int64
        var sessionId: String
        var advocateIntegrationId: String
        var friendIntegrationId: String
        var code: String
        var created: Date
    }

    struct FriendListing: Encodable, Sendable {
        var hasMore: Bool
        var totalResultSize: Int?
        var data: [FriendBody]
    }

    private func check(_ issues: [ValidationIssue]) throws {
        guard issues.isEmpty else { throw ValidationFailure(issues) }
    }

    private static func template(_ fields: ReferralFields, campaign: Int64) -> Referral {
        var referral = Referral(id: 0, campaignId: campaign, code: "", advocateProfileIntegrationId: "",
                                usageLimit: fields.usageLimit ?? 0, created: Date().storagePrecision)
        (referral.startDate, referral.expiryDate, referral.attributes) = (fields.startDate, fields.expiryDate, fields.attributes)
        return referral
    }

    /// Referral codes are drawn like coupon codes: from the request's pattern, else the campaign's
    /// `referralSettings.couponPattern`, else ``Referral/defaultPattern``.
    static func pattern(of campaign: Campaign, body: String?, characters: [String]?) -> CouponPattern {
        campaign.referralCodePattern(pattern: body, characters: characters)
    }

    /// Inserts the referrals with fresh codes, drawing again for the few that collide with existing codes.
    func insert(_ templates: [Referral], application: PromotionEngine.Application, pattern: CouponPattern)
        async throws -> [Referral]
    {
        var created: [Referral] = []
        var pending = templates
        for _ in 0..<8 where !pending.isEmpty {
            let drawn = pending.map { template in
                var referral = template
                referral.code = pattern.randomCode()
                return referral
            }
            let inserted = try await store.insertReferrals(
                drawn, applicationId: application.id, normalizedCodes: drawn.map { application.normalizedCouponCode($0.code) },
                skipExisting: true
            )
            created += inserted
            let taken = Set(inserted.map(\.code))
            pending = drawn.filter { !taken.contains($0.code) }
        }
        guard pending.isEmpty else {
            throw APIError(.conflict, "only \(created.count) free referral codes were found for the pattern; add # placeholders")
        }
        return created
    }

    /// The key's application and the campaign, which must have the `referrals` feature.
    private func referralCampaign(_ key: IntegrationKey, campaignId: Int64) async throws
        -> (PromotionEngine.Application, Campaign)
    {
        let application = try await store.application(id: key.applicationId, accountId: key.accountId)
        let campaign: Campaign
        do {
            campaign = try await store.campaign(id: campaignId, applicationId: application.id)
        } catch StoreError.notFound {
            throw APIError.badRequest(pointer: "/campaignId", "there is no campaign \(campaignId) in this application")
        }
        guard campaign.settings.features.contains(.referrals) else {
            throw APIError.badRequest(pointer: "/campaignId", "the campaign does not have the referrals feature")
        }
        return (application, campaign)
    }

    private func target(_ context: SContoRequestContext) async throws -> (PromotionEngine.Application, Campaign) {
        let application = try await store.application(
            id: context.id("applicationId"), accountId: context.managementCaller().accountId
        )
        return (application, try await store.campaign(id: context.id("campaignId"), applicationId: application.id))
    }
}
