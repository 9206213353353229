import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// The Management API's reads of a program's ledger: a profile's full ledger and balances, the program's
/// transactions and statistics, a card and its transaction logs.
struct LoyaltyLedgerRoutes {
    let store: any Store

    /// The SDK's `LoyaltyLedgerEntry` (`getLoyaltyPoints`): signed by `type`, the amount itself positive.
    struct LedgerEntryBody: Encodable, Sendable {
        var created: Date
        var programID: Int64
        var customerProfileID: String?
        var customerSessionID: String?
        var type: String
        var amount: Decimal
        var startDate: Date?
        var expiryDate: Date?
        var name: String
        var subLedgerID: String
        var userID: Int64?

        init(_ entry: LoyaltyLedgerEntry) {
            (created, programID, customerSessionID, name, subLedgerID, userID) =
                (entry.created, entry.programId, entry.customerSessionId, entry.name, entry.subledgerId, entry.userId)
            if case .profile(let id) = entry.holder { customerProfileID = id }
            type = entry.kind == .expire ? "expire" : entry.amount >= 0 ? "addition" : "subtraction"
            amount = abs(entry.amount)
            (startDate, expiryDate) = (entry.awaitsActivation ? nil : entry.startDate, entry.expiryDate)
        }
    }

    /// The SDK's `LoyaltySubLedger`.
    struct SubLedgerBody: Encodable, Sendable {
        var total: Decimal
        var totalActivePoints: Decimal
        var totalPendingPoints: Decimal
        var totalSpentPoints: Decimal
        var totalExpiredPoints: Decimal
        var totalNegativePoints: Decimal
        var transactions: [LedgerEntryBody] = []
        var expiringPoints: [LedgerEntryBody] = []
        var activePoints: [LedgerEntryBody] = []
        var pendingPoints: [LedgerEntryBody] = []
        var expiredPoints: [LedgerEntryBody] = []
        var currentTier: LoyaltyRoutes.BalancesBody.CurrentTier?

        init(_ balance: LoyaltyBalance) {
            (total, totalActivePoints, totalPendingPoints) =
                (balance.activePoints, balance.activePoints, balance.pendingPoints)
            (totalSpentPoints, totalExpiredPoints, totalNegativePoints) =
                (balance.spentPoints, balance.expiredPoints, balance.negativePoints)
        }
    }

    /// The SDK's `LoyaltyLedger`.
    struct LedgerBody: Encodable, Sendable {
        var ledger: SubLedgerBody
        var subLedgers: [String: SubLedgerBody]
    }

    /// The SDK's `LoyaltyProgramTransaction`: a transaction with who it belongs to and who caused it.
    struct ProgramTransactionBody: Encodable, Sendable {
        var transaction: LoyaltyTransactionBody
        var campaignId: Int64?
        var customerProfileId: String?
        var cardIdentifier: String?
        var userId: Int64?

        init(_ entry: LoyaltyLedgerEntry) {
            (transaction, campaignId, userId) = (LoyaltyTransactionBody(entry), entry.campaignId, entry.userId)
            switch entry.holder {
            case .profile(let id): customerProfileId = id
            case .card(let id): cardIdentifier = id
            }
        }

        func encode(to encoder: any Encoder) throws {
            try transaction.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encodeIfPresent(campaignId, forKey: .campaignId)
            try container.encodeIfPresent(customerProfileId, forKey: .customerProfileId)
            try container.encodeIfPresent(cardIdentifier, forKey: .cardIdentifier)
            try container.encodeIfPresent(userId, forKey: .userId)
        }

        enum Key: String, CodingKey { case campaignId, customerProfileId, cardIdentifier, userId }
    }

    /// The SDK's `LoyaltyDashboardData`.
    struct StatisticsBody: Encodable, Sendable {
        struct Breakdown: Encodable, Sendable {
            var createdManually: Decimal
            var createdViaRuleEngine: Decimal
        }

        var date: Date
        var totalActivePoints: Decimal
        var totalPendingPoints: Decimal
        var totalSpentPoints: Decimal
        var totalExpiredPoints: Decimal
        var totalNegativePoints: Decimal
        var totalMembers: Int
        var newMembers: Int
        var spentPoints: Breakdown
        var earnedPoints: Breakdown
    }

    func register(on routes: RouteRegistrar) {
        let profileBase = "/v1/loyalty_programs/:loyaltyProgramId/profile/:integrationId"
        routes.on(.get, profileBase) { _, context in
            let (program, holder) = try await target(context, LoyaltyProgramRoutes.profileHolder)
            return try WireCoding.response(try await ledger(program: program, holder: holder))
        }
        routes.on(.get, "\(profileBase)/ledger_balances") { request, context in
            let (program, holder) = try await target(context, LoyaltyProgramRoutes.profileHolder)
            return try await LoyaltyRoutes.balances(request, program: program, profileId: holder.identifier,
                                                    store: store)
        }
        routes.on(.get, "/v1/loyalty_programs/:loyaltyProgramId/transactions") { request, context in
            let program = try await self.program(context)
            var filter = try Self.filter(request)
            if let type = request.uri.queryParameters.get("loyaltyTransactionType") {
                guard let source = LoyaltyTransactionFilter.Source(rawValue: String(type)) else {
                    throw APIError.badParameter("loyaltyTransactionType", "must be manual, session or import")
                }
                filter.source = source
            }
            if let awaits = request.uri.queryParameters.get("awaitsActivation") {
                filter.awaitsActivation = try bool(String(awaits), name: "awaitsActivation", default: false)
            }
            let listing = try await store.loyaltyTransactions(
                programId: program.id, filter: filter, page: try LoyaltyRoutes.transactionPage(request, maxSize: 1000)
            )
            return try WireCoding.response(ListingWithoutTotal(hasMore: listing.hasMore,
                                                               data: listing.entries.map(ProgramTransactionBody.init)))
        }
        routes.on(.get, "/v1/loyalty_programs/:loyaltyProgramId/statistics") { _, context in
            let program = try await self.program(context)
            let now = Date().storagePrecision
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = program.timeZone
            let dayStart = calendar.startOfDay(for: now)
            let dayEnd = calendar.date(byAdding: .day, value: 1, to: dayStart) ?? now
            let totals = try await store.loyaltyProgramTotals(programId: program.id, dayStart: dayStart,
                                                              dayEnd: dayEnd, now: now)
            return try WireCoding.response(StatisticsBody(date: now, totals))
        }
        let cardBase = "/v1/loyalty_programs/:loyaltyProgramId/cards/:loyaltyCardId"
        routes.on(.get, cardBase) { _, context in
            let (program, holder) = try await target(context, LoyaltyProgramRoutes.cardHolder)
            let card = try await store.loyaltyCard(programId: program.id, identifier: holder.identifier)
            return try WireCoding.response(LoyaltyCardRoutes.CardBody(card, program: program))
        }
        routes.on(.get, "\(cardBase)/logs") { request, context in
            let (program, holder) = try await target(context, LoyaltyProgramRoutes.cardHolder)
            _ = try await store.loyaltyCard(programId: program.id, identifier: holder.identifier)
            var filter = try Self.filter(request)
            filter.holder = holder
            let listing = try await store.loyaltyTransactions(
                programId: program.id, filter: filter, page: try LoyaltyRoutes.transactionPage(request, maxSize: 1000, defaultSize: 1000)
            )
            return try WireCoding.response(ListingWithoutTotal(hasMore: listing.hasMore, data: listing.entries.map {
                LoyaltyCardRoutes.CardTransactionBody(transaction: LoyaltyTransactionBody($0),
                                                      cardIdentifier: holder.identifier)
            }))
        }
    }

    /// The profile's ledger: balances, every entry, and its lots by state, per (sub)ledger.
    private func ledger(program: LoyaltyProgram, holder: LoyaltyHolder) async throws -> LedgerBody {
        let now = Date().storagePrecision
        let balances = try await store.loyaltyBalances(programId: program.id, holder: holder, now: now)
        var ledgers = balances.mapValues(SubLedgerBody.init)
        try await store.forEachLoyaltyTransactionPage(programId: program.id, filter: .init(holder: holder)) { page in
            for entry in page { ledgers[entry.subledgerId, default: .init(.init())].transactions.append(.init(entry)) }
        }
        for status in ["active", "pending", "expired"] {
            var skip = 0
            while true {
                let lots = try await store.loyaltyPoints(programId: program.id, holder: holder, status: status,
                                                         subledgerIds: [], now: now,
                                                         page: PageRequest(pageSize: 1000, skip: skip))
                for lot in lots.entries {
                    let body = LedgerEntryBody(lot)
                    switch status {
                    case "active":
                        ledgers[lot.subledgerId, default: .init(.init())].activePoints.append(body)
                        if lot.expiryDate != nil { ledgers[lot.subledgerId]?.expiringPoints.append(body) }
                    case "pending": ledgers[lot.subledgerId, default: .init(.init())].pendingPoints.append(body)
                    default: ledgers[lot.subledgerId, default: .init(.init())].expiredPoints.append(body)
                    }
                }
                guard lots.hasMore else { break }
                skip += lots.entries.count
            }
        }
        if !program.tiers.isEmpty {
            let membership = try await store.loyaltyMembership(programId: program.id, holder: holder)
            for subledger in Set(ledgers.keys).union([""]) {
                var body = ledgers[subledger] ?? SubLedgerBody(.init())
                body.currentTier = LoyaltyRoutes.BalancesBody.CurrentTier(
                    program, membership, subledgerId: subledger, points: body.totalActivePoints, now: now
                )
                ledgers[subledger] = body
            }
        }
        let main = ledgers.removeValue(forKey: "") ?? SubLedgerBody(.init())
        return LedgerBody(ledger: main, subLedgers: ledgers)
    }

    private func program(_ context: SContoRequestContext) async throws -> LoyaltyProgram {
        try await store.loyaltyProgram(id: context.id("loyaltyProgramId"), accountId: context.managementCaller().accountId)
    }

    private func target(_ context: SContoRequestContext, _ holder: LoyaltyProgramRoutes.HolderFromPath) async throws
        -> (LoyaltyProgram, LoyaltyHolder)
    {
        let program = try await self.program(context)
        return (program, try await holder(program, context))
    }

    /// The filters the program's and a card's transaction listings share.
    static func filter(_ request: Request) throws -> LoyaltyTransactionFilter {
        let query = request.uri.queryParameters
        var filter = LoyaltyTransactionFilter()
        filter.subledgerId = query.get("subledgerId").map { String($0) }
        filter.customerSessionIds = Self.list(query.getAll("customerSessionIDs"))
        filter.transactionUUIDs = Self.list(query.getAll("transactionUUIDs"))
        filter.createdFrom = try request.dateParameter("startDate")
        filter.createdBefore = try request.dateParameter("endDate")
        return filter
    }

    /// Array parameters, repeated or comma-separated.
    private static func list(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { String($0) }.filter { !$0.isEmpty }
    }
}
