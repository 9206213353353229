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
        }

        struct CurrentTier: Encodable, Sendable {
            var id: Int64
            var name: String
        }

        var balance: Balance
        var subledgerBalances: [String: Balance]
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.get, "/v1/loyalty_programs/:loyaltyProgramId/profile/:integrationId/balances") { request, context in
            let (program, profileId) = try await target(context)
            let query = request.uri.queryParameters
            let now = try request.dateParameter("endDate") ?? Date().storagePrecision
            let includeTiers = query.get("includeTiers") == "true"
            var balances = try await store.loyaltyBalances(programId: program.id, holder: .profile(profileId), now: now)
            if let subledger = query.get("subledgerId").map({ String($0) }) {
                balances = balances.filter { $0.key == subledger || $0.key.isEmpty }
            }
            func body(_ balance: LoyaltyBalance, tiers: Bool) -> BalancesBody.Balance {
                var body = BalancesBody.Balance(
                    activePoints: balance.activePoints, pendingPoints: balance.pendingPoints,
                    spentPoints: balance.spentPoints, expiredPoints: balance.expiredPoints,
                    negativePoints: balance.negativePoints
                )
                guard tiers, !program.tiers.isEmpty else { return body }
                let current = program.tier(for: balance.activePoints)
                body.currentTier = current.map { BalancesBody.CurrentTier(id: $0.id, name: $0.name) }
                if let next = program.tiers.first(where: { $0.minPoints > balance.activePoints }) {
                    body.nextTierName = next.name
                    body.pointsToNextTier = next.minPoints - balance.activePoints
                }
                return body
            }
            var subledgers: [String: BalancesBody.Balance] = [:]
            for (id, balance) in balances where !id.isEmpty { subledgers[id] = body(balance, tiers: false) }
            return try WireCoding.response(BalancesBody(balance: body(balances[""] ?? .init(), tiers: includeTiers),
                                                        subledgerBalances: subledgers))
        }
        routes.on(.get, "/v1/loyalty_programs/:loyaltyProgramId/profile/:integrationId/transactions") { request, context in
            let (program, profileId) = try await target(context)
            let query = request.uri.queryParameters
            var page = PageRequest(pageSize: 50)
            if let text = query.get("pageSize") {
                guard let size = Int(text), (1...50).contains(size) else {
                    throw APIError.badParameter("pageSize", "must be an integer from 1 to 50")
                }
                page.pageSize = size
            }
            if let text = query.get("skip") {
                guard let skip = Int(text), skip >= 0 else { throw APIError.badParameter("skip", "must be 0 or more") }
                page.skip = skip
            }
            let listing = try await store.loyaltyEntries(
                programId: program.id, holder: .profile(profileId),
                subledgerId: query.get("subledgerId").map { String($0) }, page: page
            )
            return try WireCoding.response(ListingWithoutTotal(hasMore: listing.hasMore,
                                                               data: listing.entries.map(LoyaltyTransactionBody.init)))
        }
    }

    /// The program (subscribed by the key's application, else 404) and the profile id from the path.
    private func target(_ context: SContoRequestContext) async throws -> (LoyaltyProgram, String) {
        let key = try context.integrationKey()
        let program = try await store.loyaltyProgram(id: context.id("loyaltyProgramId"), accountId: key.accountId)
        guard program.settings.subscribedApplications.contains(key.applicationId) else {
            throw StoreError.notFound(entity: "loyalty program")
        }
        let profileId = try Identifier.parameter(context.parameters.get("integrationId"), name: "integrationId")
        return (program, profileId)
    }
}
