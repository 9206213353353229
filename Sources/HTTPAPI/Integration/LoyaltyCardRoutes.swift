import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// Cards of card-based programs on the Integration API: generate, link and unlink profiles, balances and
/// transactions. Sessions name their card in `loyaltyCards`; card-based programs earn and spend on it.
struct LoyaltyCardRoutes {
    let store: any Store
    let configuration: APIConfiguration

    /// The SDK's `LoyaltyCard`.
    struct CardBody: Encodable, Sendable {
        struct Profile: Encodable, Sendable {
            var integrationId: String
            var timestamp: Date
        }

        var id: Int64
        var created: Date
        var programID: Int64
        var programName: String
        var programTitle: String
        var status: String
        var identifier: String
        var usersPerCardLimit: Int
        var profiles: [Profile]
        var blockReason: String?
        var modified: Date?
        var oldCardIdentifier: String?
        var newCardIdentifier: String?
        var batchId: String?

        init(_ card: LoyaltyCard, program: LoyaltyProgram) {
            (id, created, programID, status, identifier) = (card.id, card.created, program.id, card.status, card.identifier)
            (blockReason, modified, batchId) = (card.blockReason, card.modified, card.batchId)
            (oldCardIdentifier, newCardIdentifier) = (card.oldCardIdentifier, card.newCardIdentifier)
            (programName, programTitle) = (program.settings.name, program.settings.title)
            usersPerCardLimit = program.settings.usersPerCardLimit ?? 0
            profiles = card.profiles.map { Profile(integrationId: $0.integrationId, timestamp: $0.linked) }
        }
    }

    struct GenerateRequest: Decodable {
        var status: String?
        var customerProfileIds: [String]?
        var cardIdentifier: String?
    }

    struct LinkRequest: Decodable {
        var integrationId: String
    }

    /// The SDK's `LoyaltyCardBalances`.
    struct BalancesBody: Encodable, Sendable {
        var balance: LoyaltyRoutes.BalancesBody.Balance
        var subledgerBalances: [String: LoyaltyRoutes.BalancesBody.Balance]
        var profiles: [CardBody.Profile]
    }

    /// The SDK's `CardLedgerTransactionLogEntryIntegrationAPI`: a transaction with its card.
    struct CardTransactionBody: Encodable, Sendable {
        var transaction: LoyaltyTransactionBody
        var cardIdentifier: String

        func encode(to encoder: any Encoder) throws {
            try transaction.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(cardIdentifier, forKey: .cardIdentifier)
        }

        enum Key: String, CodingKey { case cardIdentifier }
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/loyalty_programs/:loyaltyProgramId/cards") { request, context in
            let program = try await cardProgram(context)
            let body = try await request.decodeJSON(GenerateRequest.self, limit: configuration.maxBodySize)
            let status = body.status ?? "active"
            guard ["active", "inactive"].contains(status) else {
                throw APIError.badRequest(pointer: "/status", "must be active or inactive")
            }
            let identifier = body.cardIdentifier ?? Self.newIdentifier()
            guard Self.isIdentifier(identifier) else {
                throw APIError.badRequest(pointer: "/cardIdentifier", "must be 4 to 108 of A-Z a-z 0-9 . _ % + @ -")
            }
            for (index, id) in (body.customerProfileIds ?? []).enumerated() {
                try Identifier.field(id, pointer: "/customerProfileIds/\(index)")
            }
            let card = try await linking("/customerProfileIds") {
                try await store.createLoyaltyCard(programId: program.id, identifier: identifier, status: status,
                                                  profileIds: body.customerProfileIds ?? [], now: Date().storagePrecision)
            }
            return try WireCoding.response(CardBody(card, program: program))
        }
        routes.on(.post, "/v2/loyalty_programs/:loyaltyProgramId/cards/:loyaltyCardId/link_profile") { request, context in
            let (program, identifier, profileId) = try await linkTarget(request, context)
            let card = try await linking("/integrationId") {
                try await store.linkLoyaltyCard(programId: program.id, identifier: identifier, profileId: profileId,
                                                now: Date().storagePrecision)
            }
            return try WireCoding.response(CardBody(card, program: program))
        }
        routes.on(.post, "/v2/loyalty_programs/:loyaltyProgramId/cards/:loyaltyCardId/unlink_profile") { request, context in
            let (program, identifier, profileId) = try await linkTarget(request, context)
            let card = try await store.unlinkLoyaltyCard(programId: program.id, identifier: identifier,
                                                         profileId: profileId)
            return try WireCoding.response(CardBody(card, program: program))
        }
        routes.on(.get, "/v1/loyalty_programs/:loyaltyProgramId/cards/:loyaltyCardId/balances") { request, context in
            let (program, card) = try await cardTarget(context)
            let balances = try await store.loyaltyBalances(programId: program.id, holder: .card(card.identifier),
                                                           now: try LoyaltyRoutes.balanceDate(request))
            var subledgers: [String: LoyaltyRoutes.BalancesBody.Balance] = [:]
            for (id, balance) in balances where !id.isEmpty { subledgers[id] = .init(balance) }
            return try WireCoding.response(BalancesBody(
                balance: .init(balances[""] ?? .init()), subledgerBalances: subledgers,
                profiles: card.profiles.map { CardBody.Profile(integrationId: $0.integrationId, timestamp: $0.linked) }
            ))
        }
        routes.on(.get, "/v1/loyalty_programs/:loyaltyProgramId/cards/:loyaltyCardId/points") { request, context in
            let (program, card) = try await cardTarget(context)
            return try await LoyaltyRoutes.points(request, program: program, holder: .card(card.identifier), store: store)
        }
        routes.on(.get, "/v1/loyalty_programs/:loyaltyProgramId/cards/:loyaltyCardId/transactions") { request, context in
            let (program, card) = try await cardTarget(context)
            let listing = try await store.loyaltyEntries(
                programId: program.id, holder: .card(card.identifier),
                subledgerId: request.uri.queryParameters.get("subledgerId").map { String($0) },
                page: try LoyaltyRoutes.transactionPage(request)
            )
            return try WireCoding.response(ListingWithoutTotal(hasMore: listing.hasMore, data: listing.entries.map {
                CardTransactionBody(transaction: LoyaltyTransactionBody($0), cardIdentifier: card.identifier)
            }))
        }
    }

    /// A card-based program the key's application is subscribed to, else 404.
    private func cardProgram(_ context: SContoRequestContext) async throws -> LoyaltyProgram {
        let program = try await LoyaltyRoutes.subscribedProgram(context, store: store)
        guard program.settings.cardBased else { throw StoreError.notFound(entity: "card-based loyalty program") }
        return program
    }

    private func cardTarget(_ context: SContoRequestContext) async throws -> (LoyaltyProgram, LoyaltyCard) {
        let program = try await cardProgram(context)
        let identifier = try Identifier.parameter(context.parameters.get("loyaltyCardId"), name: "loyaltyCardId")
        return (program, try await store.loyaltyCard(programId: program.id, identifier: identifier))
    }

    private func linkTarget(_ request: Request, _ context: SContoRequestContext) async throws
        -> (LoyaltyProgram, String, String)
    {
        let program = try await cardProgram(context)
        let identifier = try Identifier.parameter(context.parameters.get("loyaltyCardId"), name: "loyaltyCardId")
        let body = try await request.decodeJSON(LinkRequest.self, limit: configuration.maxBodySize)
        guard !body.integrationId.isEmpty else { throw APIError.badRequest(pointer: "/integrationId", "is required") }
        try Identifier.field(body.integrationId, pointer: "/integrationId")
        return (program, identifier, body.integrationId)
    }

    /// A full card answers 400 at `pointer`.
    private func linking(_ pointer: String, _ body: () async throws -> LoyaltyCard) async throws -> LoyaltyCard {
        do {
            return try await body()
        } catch let full as LoyaltyCardFull {
            throw APIError.badRequest(pointer: pointer, "the card already has the \(full.limit) profiles it may have")
        }
    }

    static func isIdentifier(_ text: String) -> Bool {
        (4...108).contains(text.count) && text.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._%+@-".unicodeScalars.contains($0)
        }
    }

    /// A new card's identifier: 12 random characters of A-Z and 0-9.
    static func newIdentifier() -> String {
        let characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<12).map { _ in characters.randomElement()! })
    }
}
