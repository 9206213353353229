import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// Stored memberships over the Management API: `importLoyaltyCustomersTiers`, `importLoyaltyJoinDates` (CSV, every
/// row checked before anything is written, one transaction) and `getDashboardStatistics` (daily figures summed
/// from the ledger).
struct LoyaltyMembershipRoutes {
    let store: any Store
    let configuration: APIConfiguration

    /// The most days one dashboard request covers.
    static let maxDashboardDays = 366

    func register(on routes: RouteRegistrar) {
        let base = "/v1/loyalty_programs/:loyaltyProgramId"
        routes.on(.post, "\(base)/import_customers_tiers") { request, context in
            let (accountId, userId) = try context.managementCaller()
            let program = try await store.loyaltyProgram(id: context.id("loyaltyProgramId"), accountId: accountId)
            guard program.tierPeriod != nil, !program.tiers.isEmpty else {
                throw APIError.badRequest(pointer: "/upFile",
                                          "tiers can be imported into programs with advanced tiers (tiersExpireIn) only")
            }
            let now = Date().storagePrecision
            let file = try CSVImport(try await request.uploadedCSV(maxBodySize: configuration.maxBodySize),
                                     required: ["customerprofileid", "tiername", "expirydate"])
            let rows = try file.rows.map { try Self.tierRow($0, program: program, now: now) }
            do {
                try await store.importLoyaltyTiers(programId: program.id, rows: rows, now: now)
            } catch let unknown as LoyaltyImportUnknownProfile {
                throw file.rows[unknown.index].fail("customerprofileid", "there is no customer profile \(rows[unknown.index].profileId)")
            }
            return try WireCoding.response(CouponFileRoutes.ImportBody(
                id: 0, created: now, accountId: accountId, userId: userId, entity: "LoyaltyTiers", amount: rows.count
            ))
        }
        routes.on(.post, "\(base)/import_join_dates") { request, context in
            let (accountId, userId) = try context.managementCaller()
            let program = try await store.loyaltyProgram(id: context.id("loyaltyProgramId"), accountId: accountId)
            guard !program.settings.cardBased else { throw StoreError.notFound(entity: "profile-based loyalty program") }
            let file = try CSVImport(try await request.uploadedCSV(maxBodySize: configuration.maxBodySize),
                                     required: ["customerprofileid", "newjoindate"])
            let rows = try file.rows.map { row in
                guard let date = try row.date("newjoindate") else { throw row.fail("newjoindate", "is required") }
                return LoyaltyJoinDateImport(profileId: try Self.profileId(row), joined: date)
            }
            do {
                try await store.importLoyaltyJoinDates(programId: program.id, rows: rows)
            } catch let unknown as LoyaltyImportUnknownProfile {
                throw file.rows[unknown.index].fail("customerprofileid", "there is no customer profile \(rows[unknown.index].profileId)")
            }
            return try WireCoding.response(CouponFileRoutes.ImportBody(
                id: 0, created: Date().storagePrecision, accountId: accountId, userId: userId, entity: "LoyaltyJoinDates",
                amount: rows.count
            ))
        }
        routes.on(.get, "\(base)/dashboard") { request, context in
            let program = try await store.loyaltyProgram(id: context.id("loyaltyProgramId"),
                                                         accountId: context.managementCaller().accountId)
            let now = Date().storagePrecision
            let days = try Self.days(from: request.requiredDateParameter("rangeStart"),
                                     to: request.requiredDateParameter("rangeEnd"), program: program, now: now)
            let subledger = request.uri.queryParameters.get("subledgerId").map { String($0) }
            let figures = try await store.loyaltyDashboard(programId: program.id, subledgerId: subledger, days: days,
                                                           now: now)
            let data = zip(days, figures).map { LoyaltyLedgerRoutes.StatisticsBody(date: $0.start, $1) }
            return try WireCoding.response(Listing(totalResultSize: data.count, data: data))
        }
    }

    /// The days of the program's time zone that meet [`start`, `end`] and have ended by `now` (Talon.One's
    /// dashboard leaves out the current day).
    static func days(from start: Date, to end: Date, program: LoyaltyProgram, now: Date) throws -> [DateInterval] {
        guard start <= end else { throw APIError.badParameter("rangeEnd", "must not be before rangeStart") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = program.timeZone
        var days: [DateInterval] = []
        var day = calendar.startOfDay(for: start)
        while day <= end {
            guard let next = calendar.date(byAdding: .day, value: 1, to: day), next <= now else { break }
            days.append(DateInterval(start: day, end: next))
            guard days.count <= maxDashboardDays else {
                throw APIError.badParameter("rangeStart", "the range may cover \(maxDashboardDays) days at most")
            }
            day = next
        }
        return days
    }

    private static func profileId(_ row: CSVImport.Row) throws -> String {
        guard let profileId = row.field("customerprofileid"), !Identifier.hasControlCharacters(profileId) else {
            throw row.fail("customerprofileid", "a customer profile integration id is required")
        }
        return profileId
    }

    private static func tierRow(_ row: CSVImport.Row, program: LoyaltyProgram, now: Date) throws -> LoyaltyTierImport {
        let profileId = try profileId(row)
        guard let tierName = row.field("tiername"), program.tierRank(tierName) != nil else {
            throw row.fail("tiername", "must name a tier of the program (\(program.tiers.map(\.name).joined(separator: ", ")))")
        }
        guard let expiry = try row.date("expirydate") else { throw row.fail("expirydate", "is required") }
        guard expiry > now else { throw row.fail("expirydate", "must be in the future") }
        let subledger = row.field("subledgerid") ?? ""
        if !subledger.isEmpty, !program.settings.allowSubledger {
            throw row.fail("subledgerid", "the program has no subledgers (allowSubledger is false)")
        }
        return LoyaltyTierImport(profileId: profileId, subledgerId: subledger, tierName: tierName, expiry: expiry)
    }
}

extension LoyaltyLedgerRoutes.StatisticsBody {
    init(date: Date, _ totals: LoyaltyProgramTotals) {
        self.init(
            date: date, totalActivePoints: totals.balance.activePoints, totalPendingPoints: totals.balance.pendingPoints,
            totalSpentPoints: totals.balance.spentPoints, totalExpiredPoints: totals.balance.expiredPoints,
            totalNegativePoints: totals.balance.negativePoints, totalMembers: totals.members,
            newMembers: totals.newMembers,
            spentPoints: .init(createdManually: totals.spentManually, createdViaRuleEngine: totals.spentByRules),
            earnedPoints: .init(createdManually: totals.earnedManually, createdViaRuleEngine: totals.earnedByRules)
        )
    }
}
