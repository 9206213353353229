import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// A program's ledgers, balances, tiers and join dates as CSV, with the columns Talon.One's spec lists; each
/// streamed a page at a time (keyset paging), so memory stays flat however large the program.
struct LoyaltyExportRoutes {
    let store: any Store

    static let ledgerColumns = [
        "customerprofileid", "customersessionid", "rulesetid", "rulename", "programid", "type", "name", "subledgerid",
        "startdate", "expirydate", "id", "created", "amount", "archived", "campaignid", "flags", "transactionUUID",
    ]
    static let cardLedgerColumns = ["cardidentifier"] + ledgerColumns.dropFirst()
    static let balanceColumns = [
        "loyaltyProgramID", "loyaltySubledger", "profileIntegrationID", "currentBalance", "pendingBalance",
        "expiredBalance", "spentBalance", "currentTier",
    ]
    static let cardBalanceColumns = [
        "loyaltyProgramID", "loyaltySubledger", "cardIdentifier", "cardState", "currentBalance", "pendingBalance",
        "expiredBalance", "spentBalance",
    ]
    static let tierColumns = ["programid", "subledgerid", "customerprofileid", "tiername", "startdate", "expirydate"]
    static let joinDateColumns = ["loyaltyProgramID", "profileIntegrationID", "joinDate"]

    func register(on routes: RouteRegistrar) {
        let base = "/v1/loyalty_programs/:loyaltyProgramId"
        for (path, holderFromPath) in [("profile/:integrationId", LoyaltyProgramRoutes.profileHolder),
                                       ("cards/:loyaltyCardId", LoyaltyProgramRoutes.cardHolder)]
        {
            routes.on(.get, "\(base)/\(path)/export_log") { request, context in
                let program = try await self.program(context)
                let holder = try await holderFromPath(program, context)
                if case .card(let identifier) = holder {
                    _ = try await store.loyaltyCard(programId: program.id, identifier: identifier)
                }
                var filter = LoyaltyTransactionFilter(holder: holder)
                filter.createdFrom = try request.requiredDateParameter("rangeStart")
                filter.createdBefore = try request.requiredDateParameter("rangeEnd")
                let format = try Self.dateFormat(request)
                let entries = filter
                let columns = holder.kind == "card" ? Self.cardLedgerColumns : Self.ledgerColumns
                return Self.csv(columns) { write in
                    try await store.forEachLoyaltyTransactionPage(programId: program.id, filter: entries) { page in
                        try await write(page.map { Self.ledgerRow($0, format: format) })
                    }
                }
            }
        }
        for path in ["export_customer_balance", "export_customer_balances"] {
            routes.on(.get, "\(base)/\(path)") { request, context in
                let program = try await self.profileProgram(context)
                _ = try request.dateParameter("endDate")  // Checked, not honoured: balances are as of now.
                let now = Date().storagePrecision
                return Self.csv(Self.balanceColumns) { write in
                    try await forEachBalancePage(program, kind: "profile") { page in
                        var lines: [[String]] = []
                        for row in page {
                            var tier: String?
                            if row.subledgerId.isEmpty, !program.tiers.isEmpty {
                                let membership = try await store.loyaltyMembership(programId: program.id,
                                                                                   holder: .profile(row.holder))
                                tier = LoyaltyRoutes.BalancesBody.CurrentTier(
                                    program, membership, subledgerId: "", points: row.balance.activePoints, now: now
                                )?.name
                            }
                            lines.append(["\(program.id)", row.subledgerId, row.holder] + Self.amounts(row.balance)
                                + [tier ?? ""])
                        }
                        try await write(lines)
                    }
                }
            }
        }
        routes.on(.get, "\(base)/export_card_balances") { request, context in
            let program = try await self.program(context)
            guard program.settings.cardBased else { throw StoreError.notFound(entity: "card-based loyalty program") }
            _ = try request.dateParameter("endDate")
            return Self.csv(Self.cardBalanceColumns) { write in
                try await forEachBalancePage(program, kind: "card") { page in
                    try await write(page.map { row in
                        ["\(program.id)", row.subledgerId, row.holder, row.cardStatus ?? ""] + Self.amounts(row.balance)
                    })
                }
            }
        }
        routes.on(.get, "\(base)/export_customers_tiers") { request, context in
            let program = try await self.profileProgram(context)
            let query = request.uri.queryParameters
            let tierNames = Set(query.getAll("tierNames").flatMap { $0.split(separator: ",") }.map { String($0) })
            let subledgers = Set(query.getAll("subledgerIds").flatMap { $0.split(separator: ",") }.map { String($0) })
            let now = Date().storagePrecision
            return Self.csv(Self.tierColumns) { write in
                try await store.forEachLoyaltyMemberPage(programId: program.id, holderKind: "profile") { page in
                    // The stored tiers brought to now, as the balance reads answer them.
                    try await write(page.compactMap { row -> [String]? in
                        guard subledgers.isEmpty || subledgers.contains(row.subledgerId),
                              let tier = program.settledTier(row.tier, points: row.activePoints, joined: row.joined,
                                                             now: now, following: false),
                              tierNames.isEmpty || tierNames.contains(tier.name)
                        else { return nil }
                        return ["\(program.id)", row.subledgerId, row.holder, tier.name, RFC3339.format(tier.start),
                                tier.expiry.map(RFC3339.format) ?? ""]
                    })
                }
            }
        }
        routes.on(.get, "\(base)/export_join_dates") { _, context in
            let program = try await self.profileProgram(context)
            return Self.csv(Self.joinDateColumns) { write in
                try await store.forEachLoyaltyMemberPage(programId: program.id, holderKind: "profile") { page in
                    try await write(page.compactMap { row in
                        guard row.subledgerId.isEmpty, let joined = row.joined else { return nil }
                        return ["\(program.id)", row.holder, RFC3339.format(joined)]
                    })
                }
            }
        }
    }

    /// A CSV response: the header, then what `rows` writes, as it writes it.
    static func csv(_ columns: [String],
                    _ rows: @escaping @Sendable (_ write: ([[String]]) async throws -> Void) async throws -> Void)
        -> Response
    {
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: CSV.line(columns)))
            try await rows { lines in
                guard !lines.isEmpty else { return }
                try await writer.write(ByteBuffer(string: lines.map(CSV.line).joined()))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/csv"], body: body)
    }

    /// `currentBalance`, `pendingBalance`, `expiredBalance`, `spentBalance`.
    static func amounts(_ balance: LoyaltyBalance) -> [String] {
        [balance.activePoints, balance.pendingPoints, balance.expiredPoints, balance.spentPoints].map { "\($0)" }
    }

    static func ledgerRow(_ entry: LoyaltyLedgerEntry, format: (Date) -> String) -> [String] {
        let body = LoyaltyTransactionBody(entry)
        let start = entry.awaitsActivation ? "on_action" : entry.startDate.map(format) ?? "immediate"
        return [
            entry.holder.identifier, entry.customerSessionId ?? "", body.rulesetId.map { "\($0)" } ?? "",
            body.ruleName ?? "", "\(entry.programId)", body.type, entry.name, entry.subledgerId, start,
            entry.expiryDate.map(format) ?? "unlimited", "\(entry.id)", format(entry.created), "\(body.amount)",
            "false", entry.campaignId.map { "\($0)" } ?? "", "", entry.transactionUUID,
        ]
    }

    /// `dateFormat`: `ISO8601` (RFC 3339, the default) or `excel` (`YYYY-MM-DD hh:mm:ss`, UTC).
    static func dateFormat(_ request: Request) throws -> @Sendable (Date) -> String {
        switch request.uri.queryParameters.get("dateFormat").map({ String($0) }) {
        case nil, "ISO8601": return { RFC3339.format($0) }
        case "excel":
            return { date in
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = .gmt
                let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
                return String(format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0,
                              parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
            }
        default: throw APIError.badParameter("dateFormat", "must be excel or ISO8601")
        }
    }

    private func forEachBalancePage(_ program: LoyaltyProgram, kind: String,
                                    _ body: ([LoyaltyHolderBalance]) async throws -> Void) async throws
    {
        try await store.forEachLoyaltyHolderBalancePage(programId: program.id, holderKind: kind,
                                                        now: Date().storagePrecision, body)
    }

    private func program(_ context: SContoRequestContext) async throws -> LoyaltyProgram {
        try await store.loyaltyProgram(id: context.id("loyaltyProgramId"), accountId: context.managementCaller().accountId)
    }

    private func profileProgram(_ context: SContoRequestContext) async throws -> LoyaltyProgram {
        let program = try await self.program(context)
        guard !program.settings.cardBased else { throw StoreError.notFound(entity: "profile-based loyalty program") }
        return program
    }
}
