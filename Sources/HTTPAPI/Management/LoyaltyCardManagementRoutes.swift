import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// Cards of card-based programs on the Management API: listed, blocked or unblocked, deleted, transferred to a
/// new card, created in batches, imported and exported as CSV.
struct LoyaltyCardManagementRoutes {
    let store: any Store
    let configuration: APIConfiguration

    /// The SDK's `UpdateLoyaltyCard`.
    struct UpdateRequest: Decodable {
        var status: String
        var blockReason: String?
    }

    /// The SDK's `TransferLoyaltyCard`.
    struct TransferRequest: Decodable {
        var newCardIdentifier: String
        var blockReason: String?
    }

    /// The SDK's `LoyaltyCardBatch`.
    struct BatchRequest: Decodable {
        struct CodeSettings: Decodable {
            var validCharacters: [String]?
            var couponPattern: String?
        }

        var numberOfCards: Int
        var batchId: String?
        var status: String?
        var cardCodeSettings: CodeSettings?
    }

    /// The SDK's `LoyaltyCardBatchResponse`.
    struct BatchBody: Encodable, Sendable {
        var numberOfCardsGenerated: Int
        var batchId: String
    }

    static let exportColumns = [
        "identifier", "created", "status", "userpercardlimit", "customerprofileids", "blockreason", "generated",
        "batchid", "attributes",
    ]
    static let maxBatch = 100_000

    func register(on routes: RouteRegistrar) {
        let base = "/v1/loyalty_programs/:loyaltyProgramId/cards"
        routes.on(.get, base) { request, context in
            let program = try await cardProgram(context)
            let query = request.uri.queryParameters
            var filter = LoyaltyCardFilter(identifier: query.get("identifier").map { String($0) },
                                           batchId: query.get("batchId").map { String($0) })
            if let text = query.get("profileId") {
                guard let id = Int64(text), id > 0 else { throw APIError.badParameter("profileId", "must be a positive integer") }
                filter.profileId = try await profileIntegrationId(id, program: program) ?? ""
            }
            let listing = try await store.loyaltyCards(
                programId: program.id, filter: filter,
                page: try LoyaltyRoutes.transactionPage(request, maxSize: 1000, defaultSize: 1000)
            )
            return try WireCoding.response(ListingWithoutTotal(
                hasMore: listing.hasMore, data: listing.cards.map { LoyaltyCardRoutes.CardBody($0, program: program) }
            ))
        }
        routes.on(.put, "\(base)/:loyaltyCardId") { request, context in
            let (program, identifier) = try await target(context)
            let body = try await request.decodeJSON(UpdateRequest.self, limit: configuration.maxBodySize)
            guard ["active", "inactive"].contains(body.status) else {
                throw APIError.badRequest(pointer: "/status", "must be active or inactive")
            }
            let card = try await store.updateLoyaltyCard(programId: program.id, identifier: identifier,
                                                         status: body.status, blockReason: body.blockReason,
                                                         now: Date().storagePrecision)
            return try WireCoding.response(LoyaltyCardRoutes.CardBody(card, program: program))
        }
        routes.on(.delete, "\(base)/:loyaltyCardId") { _, context in
            let (program, identifier) = try await target(context)
            try await store.deleteLoyaltyCard(programId: program.id, identifier: identifier)
            return Response(status: .noContent)
        }
        routes.on(.put, "\(base)/:loyaltyCardId/transfer") { request, context in
            let (program, identifier) = try await target(context)
            let body = try await request.decodeJSON(TransferRequest.self, limit: configuration.maxBodySize)
            guard LoyaltyCardRoutes.isIdentifier(body.newCardIdentifier) else {
                throw APIError.badRequest(pointer: "/newCardIdentifier", "must be 4 to 108 of A-Z a-z 0-9 . _ % + @ -")
            }
            do {
                _ = try await store.transferLoyaltyCard(programId: program.id, identifier: identifier,
                                                        newIdentifier: body.newCardIdentifier,
                                                        blockReason: body.blockReason, now: Date().storagePrecision)
            } catch is LoyaltyCardNotActive {
                throw APIError.badRequest(pointer: "/newCardIdentifier", "the card \(identifier) is blocked")
            } catch StoreError.conflict(let message) {
                throw APIError.badRequest(pointer: "/newCardIdentifier", message)
            }
            return Response(status: .noContent)
        }
        routes.on(.post, "\(base)/batch") { request, context in
            let program = try await cardProgram(context)
            let body = try await request.decodeJSON(BatchRequest.self, limit: configuration.maxBodySize)
            let created = try await createBatch(body, program: program)
            return try WireCoding.response(created)
        }
        routes.on(.get, "\(base)/export") { request, context in
            let program = try await cardProgram(context)
            let query = request.uri.queryParameters
            let format = try LoyaltyExportRoutes.dateFormat(request)
            let (after, before) = (try request.dateParameter("createdAfter"), try request.dateParameter("createdBefore"))
            let filter = LoyaltyCardFilter(batchId: query.get("batchId").map { String($0) })
            return LoyaltyExportRoutes.csv(Self.exportColumns) { write in
                var skip = 0
                while true {
                    let page = try await store.loyaltyCards(programId: program.id, filter: filter,
                                                            page: PageRequest(pageSize: 1000, skip: skip))
                    try await write(page.cards.filter { card in
                        after.map { card.created > $0 } ?? true && before.map { card.created < $0 } ?? true
                    }.map { card in
                        [card.identifier, format(card.created), card.status, "\(program.settings.usersPerCardLimit ?? 0)",
                         card.profiles.map(\.integrationId).joined(separator: ";"), card.blockReason ?? "",
                         card.batchId == nil ? "false" : "true", card.batchId ?? "", "{}"]
                    })
                    guard page.hasMore else { return }
                    skip += page.cards.count
                }
            }
        }
        routes.on(.post, "/v1/loyalty_programs/:loyaltyProgramId/import_cards") { request, context in
            let (accountId, userId) = try context.managementCaller()
            let program = try await cardProgram(context)
            let csv = try await request.uploadedCSV(maxBodySize: configuration.maxBodySize)
            let file = try CSVImport(csv, required: ["identifier", "state"])
            let cards = try file.rows.map { row in
                guard let identifier = row.field("identifier"), LoyaltyCardRoutes.isIdentifier(identifier) else {
                    throw row.fail("identifier", "must be 4 to 108 of A-Z a-z 0-9 . _ % + @ -")
                }
                guard let state = row.field("state"), ["active", "inactive"].contains(state) else {
                    throw row.fail("state", "must be active or inactive")
                }
                let profiles = (row.field("customerprofileids") ?? "").split(separator: ";").map {
                    $0.trimmingCharacters(in: .whitespaces)
                }.filter { !$0.isEmpty }
                if profiles.contains(where: Identifier.hasControlCharacters) {
                    throw row.fail("customerprofileids", "must be integration ids separated by ;")
                }
                return LoyaltyCardImport(identifier: identifier, status: state, profileIds: profiles)
            }
            let now = Date().storagePrecision
            do {
                try await store.importLoyaltyCards(programId: program.id, cards: cards,
                                                   batchId: UUID().uuidString.lowercased(), now: now)
            } catch let exists as LoyaltyCardExists {
                throw file.rows[exists.index].fail("identifier", "the card \(cards[exists.index].identifier) exists")
            } catch let full as LoyaltyCardFull {
                throw APIError.badRequest(pointer: "/upFile",
                                          "customerprofileids: a card may have \(full.limit) profiles at most")
            }
            return try WireCoding.response(CouponFileRoutes.ImportBody(
                id: 0, created: now, accountId: accountId, userId: userId, entity: "LoyaltyCards", amount: cards.count
            ))
        }
    }

    /// `numberOfCards` new cards with unique random identifiers: codes that exist are skipped and drawn again.
    private func createBatch(_ body: BatchRequest, program: LoyaltyProgram) async throws -> BatchBody {
        guard (1...Self.maxBatch).contains(body.numberOfCards) else {
            throw APIError.badRequest(pointer: "/numberOfCards", "must be 1 to \(Self.maxBatch)")
        }
        let status = body.status ?? "active"
        guard ["active", "inactive"].contains(status) else {
            throw APIError.badRequest(pointer: "/status", "must be active or inactive")
        }
        let batchId = body.batchId ?? String(UUID().uuidString.prefix(8)).lowercased()
        guard (4...20).contains(batchId.count) else {
            throw APIError.badRequest(pointer: "/batchId", "must be 4 to 20 characters")
        }
        let pattern = CouponPattern(pattern: body.cardCodeSettings?.couponPattern ?? "############",
                                    validCharacters: body.cardCodeSettings?.validCharacters?.compactMap(\.first))
        let issues = pattern.check(numberOfCoupons: body.numberOfCards)
        guard issues.isEmpty else {
            throw APIError.badRequest(pointer: "/cardCodeSettings/couponPattern", issues[0].message)
        }
        var created = 0
        for _ in 0..<20 where created < body.numberOfCards {
            var codes = Set<String>()
            while codes.count < body.numberOfCards - created { codes.insert(pattern.randomCode()) }
            guard codes.allSatisfy(LoyaltyCardRoutes.isIdentifier) else {
                throw APIError.badRequest(pointer: "/cardCodeSettings/couponPattern",
                                          "must make identifiers of 4 to 108 of A-Z a-z 0-9 . _ % + @ -")
            }
            created += try await store.createLoyaltyCards(programId: program.id, identifiers: codes.sorted(),
                                                          status: status, batchId: batchId,
                                                          now: Date().storagePrecision)
        }
        return BatchBody(numberOfCardsGenerated: created, batchId: batchId)
    }

    /// The integration id of the profile with internal id `id` in one of the program's applications.
    private func profileIntegrationId(_ id: Int64, program: LoyaltyProgram) async throws -> String? {
        for applicationId in program.settings.subscribedApplications {
            if let profile = try? await store.profile(applicationId: applicationId, id: id) {
                return profile.integrationId
            }
        }
        return nil
    }

    private func cardProgram(_ context: SContoRequestContext) async throws -> LoyaltyProgram {
        let program = try await store.loyaltyProgram(id: context.id("loyaltyProgramId"),
                                                     accountId: context.managementCaller().accountId)
        guard program.settings.cardBased else { throw StoreError.notFound(entity: "card-based loyalty program") }
        return program
    }

    private func target(_ context: SContoRequestContext) async throws -> (LoyaltyProgram, String) {
        let program = try await cardProgram(context)
        return (program, try Identifier.parameter(context.parameters.get("loyaltyCardId"), name: "loyaltyCardId"))
    }
}
