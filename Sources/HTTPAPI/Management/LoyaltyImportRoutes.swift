import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// `POST /v1/loyalty_programs/{id}/import_points`: points for profiles from Talon.One's CSV
/// (`customerprofileid,amount,startdate,expirydate,subledgerid,reason`). Every row is checked first; a bad row
/// answers 400 naming its line and column, and the rows are written in one transaction, so nothing is
/// half-imported.
struct LoyaltyImportRoutes {
    let store: any Store
    let configuration: APIConfiguration

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/loyalty_programs/:loyaltyProgramId/import_points") { request, context in
            let (accountId, userId) = try context.managementCaller()
            let program = try await store.loyaltyProgram(id: context.id("loyaltyProgramId"), accountId: accountId)
            let now = Date().storagePrecision
            let csv = try await request.uploadedCSV(maxBodySize: configuration.maxBodySize)
            var entries = try Self.entries(fromCSV: csv, program: program, now: now)
            for index in entries.indices { entries[index].userId = userId }
            try await store.appendLoyaltyEntries(entries, now: now)
            return try WireCoding.response(CouponFileRoutes.ImportBody(
                id: 0, created: now, accountId: accountId, userId: userId, entity: "LoyaltyPoints",
                amount: entries.count
            ))
        }
    }

    static func entries(fromCSV text: String, program: LoyaltyProgram, now: Date) throws -> [LoyaltyLedgerEntry] {
        let file = try CSVImport(text, required: ["customerprofileid", "amount"])
        return try file.rows.map { row in
            let (field, fail) = (row.field, row.fail)
            guard let profileId = field("customerprofileid"), !Identifier.hasControlCharacters(profileId) else {
                throw fail("customerprofileid", "a customer profile integration id is required")
            }
            guard let text = field("amount"), let amount = Decimal(string: text), amount > 0,
                  amount <= Decimal(string: "999999999999.99")!, LoyaltyPoints.normalized(amount) == amount
            else { throw fail("amount", "must be a number of points above 0 with at most 2 decimals") }
            var start: Date?
            if let text = field("startdate"), text != "immediate" {
                guard let date = RFC3339.parse(text) else { throw fail("startdate", "must be an RFC 3339 date-time") }
                start = date
            }
            var expiry = program.pointsExpiry(activeFrom: start ?? now)
            if let text = field("expirydate") {
                guard text == "unlimited" || RFC3339.parse(text) != nil else {
                    throw fail("expirydate", "must be an RFC 3339 date-time or unlimited")
                }
                expiry = RFC3339.parse(text)
            }
            let subledger = field("subledgerid") ?? ""
            if !subledger.isEmpty, !program.settings.allowSubledger {
                throw fail("subledgerid", "the program has no subledgers (allowSubledger is false)")
            }
            return LoyaltyLedgerEntry(
                programId: program.id, holder: .profile(profileId), subledgerId: subledger, kind: .import,
                amount: amount, startDate: start, expiryDate: expiry, name: field("reason") ?? "Import", created: now
            )
        }
    }
}
