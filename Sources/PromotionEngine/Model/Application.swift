import Foundation

/// How coupon codes are matched in an application's campaigns.
public enum CaseSensitivity: String, Sendable, Codable, CaseIterable, ClosedSetDecodable {
    case sensitive
    case insensitiveUppercase = "insensitive-uppercase"
    case insensitiveLowercase = "insensitive-lowercase"
}

/// What a user sets on an application (the body of `NewApplication` and `UpdateApplication`).
public struct ApplicationSettings: Sendable, Hashable, Codable {
    public var name: String
    public var description: String?
    public var timezone: String
    public var currency: String
    public var caseSensitivity: CaseSensitivity?
    public var attributes: [String: JSONValue]?
    public var limits: [LimitConfig]?
    public var defaultDiscountScope: String?
    public var enableCascadingDiscounts: Bool?
    public var enableFlattenedCartItems: Bool?
    public var attributesSettings: JSONValue?
    public var sandbox: Bool?
    public var enablePartialDiscounts: Bool?
    public var defaultDiscountAdditionalCostPerItemScope: String?
    public var enableCampaignStateManagement: Bool?

    public init(name: String, description: String? = nil, timezone: String, currency: String) {
        self.name = name
        self.description = description
        self.timezone = timezone
        self.currency = currency
    }

    static let discountScopes: Set<String> = ["sessionTotal", "cartItems", "additionalCosts"]
    static let perItemScopes: Set<String> = ["price", "itemTotal", "additionalCosts"]

    /// Checks what the type system cannot: non-empty names, a real IANA time zone, known scopes.
    public func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(.init(pointer: "/name", message: "must not be empty"))
        }
        if TimeZone(identifier: timezone) == nil {
            issues.append(.init(pointer: "/timezone", message: "'\(timezone)' is not an IANA time zone"))
        }
        if currency.isEmpty || currency.count > 10 {
            issues.append(.init(pointer: "/currency", message: "must be a currency code such as EUR"))
        }
        if let scope = defaultDiscountScope, !Self.discountScopes.contains(scope) {
            issues.append(.init(pointer: "/defaultDiscountScope", message: "must be one of \(Self.discountScopes.sorted())"))
        }
        if let scope = defaultDiscountAdditionalCostPerItemScope, !Self.perItemScopes.contains(scope) {
            issues.append(.init(
                pointer: "/defaultDiscountAdditionalCostPerItemScope",
                message: "must be one of \(Self.perItemScopes.sorted())"
            ))
        }
        for (index, limit) in (limits ?? []).enumerated() {
            issues += limit.validate(at: "/limits/\(index)")
        }
        return issues
    }
}

/// An application: the owner of campaigns, customer data and Integration API keys.
public struct Application: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var accountId: Int64
    public var created: Date
    public var modified: Date
    public var settings: ApplicationSettings

    public init(id: Int64, accountId: Int64, created: Date, modified: Date, settings: ApplicationSettings) {
        self.id = id
        self.accountId = accountId
        self.created = created
        self.modified = modified
        self.settings = settings
    }

    /// Coupon codes are matched in this form (the application's `caseSensitivity`).
    public func normalizedCouponCode(_ code: String) -> String {
        switch settings.caseSensitivity ?? .sensitive {
        case .sensitive: code
        case .insensitiveUppercase: code.uppercased()
        case .insensitiveLowercase: code.lowercased()
        }
    }
}

extension Application: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, accountId, created, modified, loyaltyPrograms
    }

    // The wire shape is flat: the settings' fields beside id, created, modified.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int64.self, forKey: .id)
        accountId = try container.decode(Int64.self, forKey: .accountId)
        created = try container.decode(Date.self, forKey: .created)
        modified = try container.decode(Date.self, forKey: .modified)
        settings = try ApplicationSettings(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try settings.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(accountId, forKey: .accountId)
        try container.encode(created, forKey: .created)
        try container.encode(modified, forKey: .modified)
        try container.encode([JSONValue](), forKey: .loyaltyPrograms)
    }
}

extension Application {
    /// The application's time zone (UTC when the stored identifier is unknown; saving validates it).
    public var timeZone: TimeZone { TimeZone(identifier: settings.timezone) ?? .gmt }
}
