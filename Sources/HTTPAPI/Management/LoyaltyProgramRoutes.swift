import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// `/v1/loyalty_programs` on the Management API: the programs (create, update and delete are Sconto's
/// extensions: Talon.One creates programs in its UI) and points added or deducted by hand.
struct LoyaltyProgramRoutes {
    let store: any Store
    let configuration: APIConfiguration

    /// The SDK's `AddLoyaltyPoints` / `DeductLoyaltyPoints`.
    struct PointsRequest: Decodable {
        var points: Decimal
        var name: String?
        var validityDuration: String?
        var validUntil: Date?
        var pendingDuration: String?
        var subledgerId: String?
        var applicationId: Int64?
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/loyalty_programs") { request, context in
            let body = try await request.decodeJSON(LoyaltyProgramRequest.self, limit: configuration.maxBodySize)
            let program = try await store.createLoyaltyProgram(
                accountId: context.managementCaller().accountId, settings: try body.settings(),
                now: Date().storagePrecision
            )
            return try WireCoding.response(LoyaltyProgramBody(program), status: .created)
        }
        routes.on(.get, "/v1/loyalty_programs") { _, context in
            let programs = try await store.loyaltyPrograms(accountId: context.managementCaller().accountId)
            return try WireCoding.response(Listing(totalResultSize: programs.count,
                                                   data: programs.map(LoyaltyProgramBody.init)))
        }
        routes.on(.get, "/v1/loyalty_programs/:loyaltyProgramId") { _, context in
            let program = try await store.loyaltyProgram(id: context.id("loyaltyProgramId"),
                                                         accountId: context.managementCaller().accountId)
            return try WireCoding.response(LoyaltyProgramBody(program))
        }
        routes.on(.put, "/v1/loyalty_programs/:loyaltyProgramId") { request, context in
            let accountId = try context.managementCaller().accountId
            let id = try context.id("loyaltyProgramId")
            let body = try await request.decodeJSON(LoyaltyProgramRequest.self, limit: configuration.maxBodySize)
            let current = try await store.loyaltyProgram(id: id, accountId: accountId)
            let program = try await store.updateLoyaltyProgram(
                id: id, accountId: accountId, settings: try body.applied(to: current.settings)
            )
            return try WireCoding.response(LoyaltyProgramBody(program))
        }
        routes.on(.delete, "/v1/loyalty_programs/:loyaltyProgramId") { _, context in
            try await store.deleteLoyaltyProgram(id: context.id("loyaltyProgramId"),
                                                 accountId: context.managementCaller().accountId)
            return Response(status: .noContent)
        }
        // Points by hand, for a profile (profile-based programs) or a card (card-based ones).
        for (path, holder) in [("profile/:integrationId", Self.profileHolder), ("cards/:loyaltyCardId", Self.cardHolder)] {
            routes.on(.put, "/v1/loyalty_programs/:loyaltyProgramId/\(path)/add_points") { request, context in
                try await addPoints(try await pointsRequest(request, context, holder: holder), context)
            }
            routes.on(.put, "/v1/loyalty_programs/:loyaltyProgramId/\(path)/deduct_points") { request, context in
                try await deductPoints(try await pointsRequest(request, context, holder: holder), context)
            }
        }
        routes.on(.get, "/v1/loyalty_programs/:loyaltyProgramId/profile/:integrationId/ledger_transactions") { request, context in
            let program = try await store.loyaltyProgram(id: context.id("loyaltyProgramId"),
                                                         accountId: context.managementCaller().accountId)
            let profileId = try Identifier.parameter(context.parameters.get("integrationId"), name: "integrationId")
            var page = try request.pageRequest()
            if request.uri.queryParameters.get("pageSize") == nil { page.pageSize = 50 }
            let listing = try await store.loyaltyEntries(
                programId: program.id, holder: .profile(profileId),
                subledgerId: request.uri.queryParameters.get("subledgerId").map { String($0) }, page: page
            )
            return try WireCoding.response(ListingWithoutTotal(hasMore: listing.hasMore,
                                                               data: listing.entries.map(LoyaltyTransactionBody.init)))
        }
    }

    typealias HolderFromPath = @Sendable (LoyaltyProgram, SContoRequestContext) async throws -> LoyaltyHolder

    static let profileHolder: HolderFromPath = { program, context in
        guard !program.settings.cardBased else { throw StoreError.notFound(entity: "profile-based loyalty program") }
        return .profile(try Identifier.parameter(context.parameters.get("integrationId"), name: "integrationId"))
    }

    static let cardHolder: HolderFromPath = { program, context in
        guard program.settings.cardBased else { throw StoreError.notFound(entity: "card-based loyalty program") }
        return .card(try Identifier.parameter(context.parameters.get("loyaltyCardId"), name: "loyaltyCardId"))
    }

    struct PointsChange {
        var program: LoyaltyProgram
        var holder: LoyaltyHolder
        var body: PointsRequest
    }

    private func addPoints(_ change: PointsChange, _ context: SContoRequestContext) async throws -> Response {
        let (program, body) = (change.program, change.body)
        let now = Date().storagePrecision
        var start: Date?
        if let pending = body.pendingDuration, pending != "immediate" {
            guard let duration = LoyaltyDuration(pending) else {
                throw APIError.badRequest(pointer: "/pendingDuration", "must be 'immediate' or a duration such as 2D")
            }
            start = duration.end(from: now, timeZone: program.timeZone)
        }
        var expiry = body.validUntil
        if let validity = body.validityDuration {
            guard case .some(let duration) = LoyaltyTiming.validity(validity) else {
                throw APIError.badRequest(pointer: "/validityDuration", "must be 'unlimited' or a duration such as 30D")
            }
            expiry = duration?.end(from: start ?? now, timeZone: program.timeZone)
        } else if expiry == nil {
            expiry = program.pointsExpiry(activeFrom: start ?? now)
        }
        var entry = LoyaltyLedgerEntry(
            programId: program.id, holder: change.holder, subledgerId: body.subledgerId ?? "", kind: .add,
            amount: body.points, startDate: start, expiryDate: expiry, name: body.name ?? "Manual addition", created: now
        )
        entry.userId = try context.managementCaller().userId
        try await store.appendLoyaltyEntries([entry], now: now)
        return Response(status: .noContent)
    }

    private func deductPoints(_ change: PointsChange, _ context: SContoRequestContext) async throws -> Response {
        let now = Date().storagePrecision
        var entry = LoyaltyLedgerEntry(
            programId: change.program.id, holder: change.holder, subledgerId: change.body.subledgerId ?? "",
            kind: .deduct, amount: -change.body.points, name: change.body.name ?? "Manual deduction", created: now
        )
        entry.userId = try context.managementCaller().userId
        do {
            try await store.appendLoyaltyEntries([entry], now: now)
        } catch let low as LoyaltyBalanceTooLow {
            throw APIError.badRequest(pointer: "/points", "exceeds the \(low.available) active points")
        }
        return Response(status: .noContent)
    }

    private func pointsRequest(_ request: Request, _ context: SContoRequestContext, holder: HolderFromPath)
        async throws -> PointsChange
    {
        let program = try await store.loyaltyProgram(id: context.id("loyaltyProgramId"),
                                                     accountId: context.managementCaller().accountId)
        let holder = try await holder(program, context)
        if case .card(let identifier) = holder {
            _ = try await store.loyaltyCard(programId: program.id, identifier: identifier)
        }
        let body = try await request.decodeJSON(PointsRequest.self, limit: configuration.maxBodySize)
        guard body.points > 0, body.points <= Decimal(string: "999999999999.99")! else {
            throw APIError.badRequest(pointer: "/points", "must be more than 0 and at most 999999999999.99")
        }
        if let subledger = body.subledgerId, !subledger.isEmpty, !program.settings.allowSubledger {
            throw APIError.badRequest(pointer: "/subledgerId", "the program has no subledgers (allowSubledger is false)")
        }
        return PointsChange(program: program, holder: holder, body: body)
    }
}
