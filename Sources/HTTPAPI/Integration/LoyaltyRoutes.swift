import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// `/v1/loyalty_programs/{id}/profile/{integrationId}/…` on the Integration API: a profile's balances and
/// ledger in a program the key's application is subscribed to.
struct LoyaltyRoutes {
    let store: any Store

    /// The SDK's `LoyaltyBalancesWithTiers`.
    struct BalancesBody: Encodable, Sendable {
        struct Balance: Encodable, Sendable {
            var activePoints: Decimal
            var pendingPoints: Decimal
            var spentPoints: Decimal
            var expiredPoints: Decimal
            var negativePoints: Decimal
            var currentTier: CurrentTier?
            var pointsToNextTier: Decimal?
            var nextTierName: String?

            init(_ balance: LoyaltyBalance) {
                (activePoints, pendingPoints, spentPoints, expiredPoints, negativePoints) =
                    (balance.activePoints, balance.pendingPoints, balance.spentPoints, balance.expiredPoints,
                     balance.negativePoints)
            }
        }

        /// The SDK's `Tier`.
        struct CurrentTier: Encodable, Sendable {
            var id: Int64
            var name: String
            var startDate: Date?
            var expiryDate: Date?
            var downgradePolicy: String?

            /// The holder's tier in a (sub)ledger at `now`: its stored tier brought to now (see `settledTier`).
            init?(_ program: LoyaltyProgram, _ membership: LoyaltyMembership, subledgerId: String, points: Decimal,
                  now: Date)
            {
                guard let tier = program.settledTier(membership.tiers[subledgerId], points: points,
                                                     joined: membership.joined, now: now, following: false),
                      let rank = program.tierRank(tier.name)
                else { return nil }
                (id, name, startDate, expiryDate) = (program.tiers[rank].id, tier.name, tier.start, tier.expiry)
                downgradePolicy = program.tierPeriod == nil ? nil : program.settings.tiersDowngradePolicy ?? "balance_based"
            }
        }

        var balance: Balance
        var subledgerBalances: [String: Balance]
    }

    /// An item of the SDK's `GetLoyaltyProgramProfilePoints200Response` (`LoyaltyProgramTransaction`-like points).
    struct PointsBody: Encodable, Sendable {
        var id: Int64
        var transactionUUID: String
        var created: Date
        var programId: Int64
        var customerSessionId: String?
        var name: String
        var startDate: String
        var expiryDate: String
        var subledgerId: String
        var amount: Decimal

        init(_ entry: LoyaltyLedgerEntry) {
            let transaction = LoyaltyTransactionBody(entry)
            (id, transactionUUID, created, programId) = (entry.id, entry.transactionUUID, entry.created, entry.programId)
            (customerSessionId, name, subledgerId, amount) = (entry.customerSessionId, entry.name, entry.subledgerId,
                                                              entry.amount)
            (startDate, expiryDate) = (transaction.startDate, transaction.expiryDate)
        }
    }

    /// The SDK's `ActivateLoyaltyPoints`.
    struct ActivationRequest: Decodable {
        var transactionUUIDs: [String]?
        var sessionId: String?
    }

    /// The SDK's `ActivateLoyaltyPointsResponse`: the activated entries (`LoyaltyLedgerEntry`).
    struct ActivationBody: Encodable, Sendable {
        struct Entry: Encodable, Sendable {
            var created: Date
            var programID: Int64
            var customerProfileID: String?
            var customerSessionID: String?
            var type = "addition"
            var amount: Decimal
            var startDate: Date?
            var expiryDate: Date?
            var name: String
            var subLedgerID: String
        }

        var ledgerEntries: [Entry]
    }

    /// The SDK's `DeleteLoyaltyTransactionsRequest`.
    struct DeleteTransactionsRequest: Decodable {
        var scope: String
        var subledgerIds: [String]?
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/loyalty_programs/:loyaltyProgramId/profile/:integrationId/delete_transactions") { request, context in
            let (program, profileId) = try await target(context)
            let body = try await request.decodeJSON(DeleteTransactionsRequest.self, limit: 1 << 16)
            var subledgers: [String]?
            switch body.scope {
            case "AllSubledgers": subledgers = nil
            case "SelectedSubledgers":
                guard let ids = body.subledgerIds, !ids.isEmpty else {
                    throw APIError.badRequest(pointer: "/subledgerIds", "is required with the SelectedSubledgers scope")
                }
                subledgers = ids
            default: throw APIError.badRequest(pointer: "/scope", "must be AllSubledgers or SelectedSubledgers")
            }
            _ = try await store.deleteLoyaltyTransactions(programId: program.id, holder: .profile(profileId),
                                                          subledgerIds: subledgers)
            return Response(status: .noContent)
        }
        routes.on(.post, "/v1/loyalty_programs/:loyaltyProgramId/activate_points") { request, context in
            let program = try await Self.subscribedProgram(context, store: store)
            let body = try await request.decodeJSON(ActivationRequest.self, limit: 1 << 16)
            let uuids = body.transactionUUIDs ?? []
            guard (body.sessionId == nil) != uuids.isEmpty else {
                throw APIError.badRequest(pointer: "/sessionId", "send either sessionId or transactionUUIDs (1 to 50)")
            }
            guard uuids.count <= 50, Set(uuids).count == uuids.count else {
                throw APIError.badRequest(pointer: "/transactionUUIDs", "must be 1 to 50 distinct UUIDs")
            }
            let entries = try await store.activateLoyaltyPoints(
                programId: program.id, applicationId: try context.integrationKey().applicationId,
                sessionId: body.sessionId, transactionUUIDs: uuids, now: Date().storagePrecision
            )
            return try WireCoding.response(ActivationBody(ledgerEntries: entries.map { entry in
                var profileId: String?
                if case .profile(let id) = entry.holder { profileId = id }
                return ActivationBody.Entry(
                    created: entry.created, programID: entry.programId, customerProfileID: profileId,
                    customerSessionID: entry.customerSessionId, amount: entry.amount, startDate: entry.startDate,
                    expiryDate: entry.expiryDate, name: entry.name, subLedgerID: entry.subledgerId
                )
            }))
        }
        routes.on(.get, "/v1/loyalty_programs/:loyaltyProgramId/profile/:integrationId/balances") { request, context in
            let (program, profileId) = try await target(context)
            return try await Self.balances(request, program: program, profileId: profileId, store: store)
        }
        routes.on(.get, "/v1/loyalty_programs/:loyaltyProgramId/profile/:integrationId/points") { request, context in
            let (program, profileId) = try await target(context)
            return try await Self.points(request, program: program, holder: .profile(profileId), store: store)
        }
        routes.on(.get, "/v1/loyalty_programs/:loyaltyProgramId/profile/:integrationId/transactions") { request, context in
            let (program, profileId) = try await target(context)
            let listing = try await store.loyaltyEntries(
                programId: program.id, holder: .profile(profileId),
                subledgerId: request.uri.queryParameters.get("subledgerId").map { String($0) },
                page: try Self.transactionPage(request)
            )
            return try WireCoding.response(ListingWithoutTotal(hasMore: listing.hasMore,
                                                               data: listing.entries.map(LoyaltyTransactionBody.init)))
        }
    }

    /// A profile-based program (subscribed by the key's application, else 404) and the profile id from the path.
    private func target(_ context: SContoRequestContext) async throws -> (LoyaltyProgram, String) {
        let program = try await Self.subscribedProgram(context, store: store)
        guard !program.settings.cardBased else { throw StoreError.notFound(entity: "profile-based loyalty program") }
        let profileId = try Identifier.parameter(context.parameters.get("integrationId"), name: "integrationId")
        return (program, profileId)
    }

    /// The path's program, when the key's application is subscribed to it (else 404).
    static func subscribedProgram(_ context: SContoRequestContext, store: any Store) async throws -> LoyaltyProgram {
        let key = try context.integrationKey()
        let program = try await store.loyaltyProgram(id: context.id("loyaltyProgramId"), accountId: key.accountId)
        guard program.settings.subscribedApplications.contains(key.applicationId) else {
            throw StoreError.notFound(entity: "loyalty program")
        }
        return program
    }

    /// `getLoyaltyBalances` and the Management API's `getLoyaltyLedgerBalances`: a profile's balances, with its
    /// tier when `includeTiers` is set.
    static func balances(_ request: Request, program: LoyaltyProgram, profileId: String, store: any Store)
        async throws -> Response
    {
        let query = request.uri.queryParameters
        let now = try Self.balanceDate(request)
        let includeTiers = query.get("includeTiers") == "true"
        var balances = try await store.loyaltyBalances(programId: program.id, holder: .profile(profileId), now: now)
        if let subledger = query.get("subledgerId").map({ String($0) }) {
            balances = balances.filter { $0.key == subledger || $0.key.isEmpty }
        }
        let membership: LoyaltyMembership?
        if includeTiers, !program.tiers.isEmpty {
            membership = try await store.loyaltyMembership(programId: program.id, holder: .profile(profileId))
        } else {
            membership = nil
        }
        func body(_ balance: LoyaltyBalance, tiers: Bool) -> BalancesBody.Balance {
            var body = BalancesBody.Balance(balance)
            guard tiers, let membership else { return body }
            body.currentTier = BalancesBody.CurrentTier(program, membership, subledgerId: "",
                                                        points: balance.activePoints, now: now)
            if let next = program.nextTier(after: body.currentTier?.name, points: balance.activePoints) {
                (body.nextTierName, body.pointsToNextTier) = (next.name, next.pointsNeeded)
            }
            return body
        }
        var subledgers: [String: BalancesBody.Balance] = [:]
        for (id, balance) in balances where !id.isEmpty { subledgers[id] = body(balance, tiers: false) }
        return try WireCoding.response(BalancesBody(balance: body(balances[""] ?? .init(), tiers: includeTiers),
                                                    subledgerBalances: subledgers))
    }

    /// `getLoyaltyProgramProfilePoints` and `getLoyaltyCardPoints`: the holder's points in one state.
    static func points(_ request: Request, program: LoyaltyProgram, holder: LoyaltyHolder, store: any Store)
        async throws -> Response
    {
        let query = request.uri.queryParameters
        let status = query.get("status").map { String($0) } ?? "active"
        guard ["active", "pending", "expired"].contains(status) else {
            throw APIError.badParameter("status", "must be active, pending or expired")
        }
        var page = PageRequest(pageSize: 50)
        if let text = query.get("pageSize") {
            guard let size = Int(text), (1...1000).contains(size) else {
                throw APIError.badParameter("pageSize", "must be an integer from 1 to 1000")
            }
            page.pageSize = size
        }
        page.skip = try transactionPage(request).skip
        let points = try await store.loyaltyPoints(
            programId: program.id, holder: holder, status: status,
            subledgerIds: query.getAll("subledgerId").map { String($0) }, now: Date().storagePrecision, page: page
        )
        return try WireCoding.response(ListingWithoutTotal(hasMore: points.hasMore,
                                                           data: points.entries.map(PointsBody.init)))
    }

    /// Balances are read as of now: `endDate` is checked, not honoured (a future date would record activations
    /// and expiries before their time, and the balance row guards spends).
    static func balanceDate(_ request: Request) throws -> Date {
        _ = try request.dateParameter("endDate")
        return Date().storagePrecision
    }

    /// `pageSize` (1…`maxSize`, default `defaultSize`) and `skip` of the transaction listings.
    static func transactionPage(_ request: Request, maxSize: Int = 50, defaultSize: Int = 50) throws -> PageRequest {
        let query = request.uri.queryParameters
        var page = PageRequest(pageSize: defaultSize)
        if let text = query.get("pageSize") {
            guard let size = Int(text), (1...maxSize).contains(size) else {
                throw APIError.badParameter("pageSize", "must be an integer from 1 to \(maxSize)")
            }
            page.pageSize = size
        }
        if let text = query.get("skip") {
            guard let skip = Int(text), skip >= 0 else { throw APIError.badParameter("skip", "must be 0 or more") }
            page.skip = skip
        }
        return page
    }
}
