import Foundation
import PromotionEngine
import Storage

/// The SDK's `LoyaltyProgram`.
struct LoyaltyProgramBody: Encodable, Sendable {
    struct Tier: Encodable, Sendable {
        var id: Int64
        var created: Date
        var programID: Int64
        var programName: String
        var programTitle: String
        var name: String
        var minPoints: Decimal
    }

    var id: Int64
    var created: Date
    var title: String
    var description: String
    var subscribedApplications: [Int64]
    var defaultValidity: String
    var defaultPending: String
    var allowSubledger: Bool
    var usersPerCardLimit: Int?
    var sandbox: Bool
    var programJoinPolicy: String?
    var tiersExpirationPolicy: String?
    var tiersExpireIn: String?
    var tiersDowngradePolicy: String?
    var tierCycleStartDate: Date?
    var returnPolicy: String?
    var accountID: Int64
    var name: String
    var tiers: [Tier]
    var timezone: String
    var cardBased: Bool
    var canUpdateTiers = true
    var canUpdateJoinPolicy = true
    var canUpdateTierExpirationPolicy = true
    var canUpgradeToAdvancedTiers = false
    var canUpdateSubledgers = true

    init(_ program: LoyaltyProgram) {
        let settings = program.settings
        (id, created, accountID, name, title, description) =
            (program.id, program.created, program.accountId, settings.name, settings.title, settings.description)
        (subscribedApplications, defaultValidity, defaultPending, allowSubledger) =
            (settings.subscribedApplications, settings.defaultValidity, settings.defaultPending, settings.allowSubledger)
        (usersPerCardLimit, sandbox, programJoinPolicy, tiersExpirationPolicy) =
            (settings.usersPerCardLimit, settings.sandbox, settings.programJoinPolicy, settings.tiersExpirationPolicy)
        (tiersExpireIn, tiersDowngradePolicy, returnPolicy, timezone, cardBased) =
            (settings.tiersExpireIn, settings.tiersDowngradePolicy, settings.returnPolicy, settings.timezone,
             settings.cardBased)
        tierCycleStartDate = settings.tierCycleStartDate
        canUpgradeToAdvancedTiers = settings.tiersExpireIn == nil
        tiers = program.tiers.map {
            Tier(id: $0.id, created: program.created, programID: program.id, programName: settings.name,
                 programTitle: settings.title, name: $0.name, minPoints: $0.minPoints)
        }
    }
}

/// The SDK's `NewLoyaltyProgram` (every field) and `UpdateLoyaltyProgram` (every field but `name`, all optional).
struct LoyaltyProgramRequest: Decodable {
    var name: String?
    var title: String?
    var description: String?
    var subscribedApplications: [Int64]?
    var defaultValidity: String?
    var defaultPending: String?
    var allowSubledger: Bool?
    var usersPerCardLimit: Int?
    var sandbox: Bool?
    var programJoinPolicy: String?
    var tiersExpirationPolicy: String?
    var tiersExpireIn: String?
    var tiersDowngradePolicy: String?
    var tierCycleStartDate: Date?
    var returnPolicy: String?
    var cardBased: Bool?
    var timezone: String?
    var tiers: [LoyaltyTierSettings]?

    /// New settings: the fields `NewLoyaltyProgram` requires must be present.
    func settings() throws -> LoyaltyProgramSettings {
        var missing: [ValidationIssue] = []
        func required<T>(_ value: T?, _ field: String) -> T? {
            if value == nil { missing.append(.init(pointer: "/\(field)", message: "is required")) }
            return value
        }
        let name = required(name, "name"), title = required(title, "title")
        let validity = required(defaultValidity, "defaultValidity"), pending = required(defaultPending, "defaultPending")
        let subledger = required(allowSubledger, "allowSubledger"), sandbox = required(sandbox, "sandbox")
        let timezone = required(timezone, "timezone")
        guard let name, let title, let validity, let pending, let subledger, let sandbox, let timezone else {
            throw ValidationFailure(missing)
        }
        let base = LoyaltyProgramSettings(
            name: name, title: title, defaultValidity: validity, defaultPending: pending, allowSubledger: subledger,
            sandbox: sandbox, timezone: timezone
        )
        return try applied(to: base)
    }

    /// `base` with the fields this request sets, validated.
    func applied(to base: LoyaltyProgramSettings) throws -> LoyaltyProgramSettings {
        var settings = base
        if let title { settings.title = title }
        if let description { settings.description = description }
        if let subscribedApplications { settings.subscribedApplications = subscribedApplications }
        if let defaultValidity { settings.defaultValidity = defaultValidity }
        if let defaultPending { settings.defaultPending = defaultPending }
        if let allowSubledger { settings.allowSubledger = allowSubledger }
        if let usersPerCardLimit { settings.usersPerCardLimit = usersPerCardLimit }
        if let sandbox { settings.sandbox = sandbox }
        if let programJoinPolicy { settings.programJoinPolicy = programJoinPolicy }
        if let tiersExpirationPolicy { settings.tiersExpirationPolicy = tiersExpirationPolicy }
        if let tiersExpireIn { settings.tiersExpireIn = tiersExpireIn }
        if let tiersDowngradePolicy { settings.tiersDowngradePolicy = tiersDowngradePolicy }
        if let tierCycleStartDate { settings.tierCycleStartDate = tierCycleStartDate.storagePrecision }
        if let returnPolicy { settings.returnPolicy = returnPolicy }
        if let cardBased { settings.cardBased = cardBased }
        if let timezone { settings.timezone = timezone }
        if let tiers { settings.tiers = tiers }
        let issues = settings.validate()
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return settings
    }
}

/// The SDK's `LoyaltyLedgerTransaction` (Integration API) and `LoyaltyLedgerEntry`-like rows (Management API).
struct LoyaltyTransactionBody: Encodable, Sendable {
    var id: Int64
    var transactionUUID: String
    var created: Date
    var programId: Int64
    var customerSessionId: String?
    var type: String
    var name: String
    var startDate: String
    var expiryDate: String
    var subledgerId: String
    var amount: Decimal
    var rulesetId: Int64?
    var ruleName: String?

    init(_ entry: LoyaltyLedgerEntry) {
        (id, transactionUUID, created, programId) = (entry.id, entry.transactionUUID, entry.created, entry.programId)
        customerSessionId = entry.customerSessionId
        type = entry.amount >= 0 ? "addition" : "subtraction"
        name = entry.name
        startDate = entry.awaitsActivation ? "on_action" : entry.startDate.map(RFC3339.format) ?? "immediate"
        expiryDate = entry.expiryDate.map(RFC3339.format) ?? "unlimited"
        subledgerId = entry.subledgerId
        amount = abs(entry.amount)
        rulesetId = entry.rulesetId.flatMap { $0 == 0 ? nil : $0 }
        ruleName = entry.ruleName.flatMap { $0.isEmpty ? nil : $0 }
    }
}
