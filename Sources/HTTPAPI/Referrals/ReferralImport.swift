import Foundation
import PromotionEngine

/// `importReferrals`: Talon.One's referral CSV read into referrals of one campaign. Every bad row is refused naming
/// its line and column, and then nothing is imported (the insert itself is one transaction).
enum ReferralImport {
    static func referrals(fromCSV text: String, campaignId: Int64, application: PromotionEngine.Application)
        throws -> [Referral]
    {
        let file = try CSVImport(text, required: ["code", "advocateprofileintegrationid"])
        let now = Date().storagePrecision
        var seen: Set<String> = []
        return try file.rows.map { row in
            let (field, fail) = (row.field, row.fail)
            guard let code = field("code"), code.count <= 100, !Identifier.hasControlCharacters(code) else {
                throw fail("code", "a code of 1 to 100 characters without control characters is required")
            }
            guard seen.insert(application.normalizedCouponCode(code)).inserted else {
                throw fail("code", "the code \(code) appears twice in the file")
            }
            guard let advocate = field("advocateprofileintegrationid"), advocate.count <= 1000,
                  !Identifier.hasControlCharacters(advocate)
            else { throw fail("advocateprofileintegrationid", "an advocate integration id of 1 to 1000 characters is required") }
            // A blank limit is 1, as Talon.One reads it.
            var usageLimit = 1
            if let text = field("limitval") {
                guard let limit = Int(text), (0...999_999).contains(limit) else {
                    throw fail("limitval", "must be a whole number from 0 (unlimited) to 999999")
                }
                usageLimit = limit
            }
            var referral = Referral(id: 0, campaignId: campaignId, code: code, advocateProfileIntegrationId: advocate,
                                    usageLimit: usageLimit, created: now)
            referral.startDate = try row.date("startdate")
            referral.expiryDate = try row.date("expirydate")
            if let start = referral.startDate, let expiry = referral.expiryDate, expiry < start {
                throw fail("expirydate", "must not be before startdate")
            }
            if let text = field("attributes") {
                guard let attributes = try? JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8)) else {
                    throw fail("attributes", "must be a JSON object")
                }
                referral.attributes = attributes
            }
            return referral
        }
    }
}
