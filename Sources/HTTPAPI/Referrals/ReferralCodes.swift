import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// Referral codes for the API's routes and the Campaign Manager alike: created for an advocate as
/// `POST /v1/referrals` creates them, exported as `GET /v1/applications/{id}/export_referrals` exports them.
public enum ReferralCodes {
    /// A new code of a referral campaign for the advocate (and, if given, the one friend who may use it);
    /// refused with a 400 `APIError` naming the field as the API refuses it.
    public static func create(
        store: any Store, application: PromotionEngine.Application, campaign: Campaign, advocate: String, friend: String?
    ) async throws -> Referral {
        guard campaign.settings.features.contains(.referrals) else {
            throw APIError.badRequest(pointer: "/campaignId", "the campaign does not have the referrals feature")
        }
        try Identifier.field(advocate, pointer: "/advocateProfileIntegrationId")
        try Identifier.field(friend, pointer: "/friendProfileIntegrationId")
        guard !advocate.isEmpty, advocate.count <= 1000 else {
            throw APIError.badRequest(pointer: "/advocateProfileIntegrationId", "must be 1 to 1000 characters")
        }
        var template = Referral(id: 0, campaignId: campaign.id, code: "", advocateProfileIntegrationId: advocate,
                                usageLimit: 0, created: Date().storagePrecision)
        template.friendProfileIntegrationId = friend.flatMap { $0.isEmpty ? nil : $0 }
        let routes = ReferralRoutes(store: store, configuration: APIConfiguration())
        return try await routes.insert([template], application: application,
                                       pattern: ReferralRoutes.pattern(of: campaign, body: nil, characters: nil))[0]
    }

    /// The spec's export columns, streamed a page at a time in id order (keyset), so memory stays flat.
    public static func export(store: any Store, applicationId: Int64, filter: ReferralFilter) -> ResponseBody {
        ResponseBody { writer in
            try await writer.write(ByteBuffer(string: CSV.line(
                ["code", "advocateprofileintegrationid", "startdate", "expirydate", "limitval", "attributes"]
            )))
            var page = filter
            while true {
                let (found, hasMore) = try await store.referrals(applicationId: applicationId, filter: page,
                                                                 page: PageRequest(pageSize: 1000))
                var chunk = ""
                for referral in found {
                    let attributes = String(decoding: try JSONEncoder().encode(referral.attributes ?? [:]), as: UTF8.self)
                    chunk += CSV.line([referral.code, referral.advocateProfileIntegrationId,
                                       referral.startDate.map(RFC3339.format) ?? "",
                                       referral.expiryDate.map(RFC3339.format) ?? "", "\(referral.usageLimit)",
                                       attributes])
                }
                try await writer.write(ByteBuffer(string: chunk))
                guard hasMore, let last = found.last else { break }
                page.afterId = last.id
            }
            try await writer.finish(nil)
        }
    }
}
