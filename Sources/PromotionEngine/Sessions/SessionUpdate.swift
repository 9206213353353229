import Foundation

/// The body of `PUT /v2/customer_sessions/{id}`: every field optional; sent fields replace stored ones,
/// omitted fields keep theirs.
public struct SessionUpdate: Sendable, Hashable, Codable {
    public var profileId: String?
    public var storeIntegrationId: String?
    public var evaluableCampaignIds: [Int64]?
    public var couponCodes: [String]?
    public var referralCode: String?
    public var loyaltyCards: [String]?
    public var state: SessionState?
    public var cartItems: [CartItem]?
    public var additionalCosts: [String: AdditionalCost]?
    public var identifiers: [String]?
    public var attributes: [String: JSONValue]?

    public init() {}

    /// Limits from Talon.One's documentation of `NewCustomerSessionV2`.
    public static let maximumCartItems = 1000
    public static let maximumCouponCodes = 100
    public static let maximumCodeLength = 100
    public static let maximumIdentifiers = 5

    /// Checks values the type system accepts but Talon.One refuses; pointers are relative to `/customerSession`.
    public func validate(at base: String = "/customerSession") -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let cartItems {
            if cartItems.count > Self.maximumCartItems {
                issues.append(.init(pointer: base + "/cartItems", message: "must have at most \(Self.maximumCartItems) items"))
            }
            for (index, item) in cartItems.prefix(Self.maximumCartItems).enumerated() {
                issues += item.validate(at: "\(base)/cartItems/\(index)")
            }
        }
        if let couponCodes {
            if couponCodes.count > Self.maximumCouponCodes {
                issues.append(.init(pointer: base + "/couponCodes", message: "must have at most \(Self.maximumCouponCodes) codes"))
            }
            // The spec allows an empty code (no minLength); it simply matches no coupon.
            for (index, code) in couponCodes.enumerated() where code.count > Self.maximumCodeLength {
                issues.append(.init(pointer: "\(base)/couponCodes/\(index)", message: "must be at most \(Self.maximumCodeLength) characters"))
            }
        }
        if let storeIntegrationId, storeIntegrationId.isEmpty || storeIntegrationId.count > 1000 {
            issues.append(.init(pointer: base + "/storeIntegrationId", message: "must be 1 to 1000 characters"))
        }
        if let referralCode, referralCode.count > Self.maximumCodeLength {
            issues.append(.init(pointer: base + "/referralCode", message: "must be at most \(Self.maximumCodeLength) characters"))
        }
        if let identifiers, identifiers.count > Self.maximumIdentifiers {
            issues.append(.init(pointer: base + "/identifiers", message: "must have at most \(Self.maximumIdentifiers) entries"))
        }
        if let loyaltyCards, loyaltyCards.count > 1 {
            issues.append(.init(pointer: base + "/loyaltyCards", message: "must have at most 1 card"))
        }
        for (key, cost) in additionalCosts ?? [:] where cost.price < 0 {
            issues.append(.init(pointer: "\(base)/additionalCosts/\(key)/price", message: "must not be negative"))
        }
        if let state, state == .partiallyReturned {
            issues.append(.init(pointer: base + "/state", message: "partially_returned is reached through the returns endpoint"))
        }
        return issues
    }

    /// The additional costs this update sets that the application's registry does not allow there (Talon.One:
    /// costs must be defined before sessions set them; a `session` cost only on the session, an `item` cost only
    /// on cart items, `both` on either). Pointers are relative to `/customerSession`.
    public func additionalCostIssues(registry: [String: AdditionalCostScope], at base: String = "/customerSession")
        -> [ValidationIssue]
    {
        func check(_ costs: [String: AdditionalCost]?, _ pointer: String, item: Bool) -> [ValidationIssue] {
            (costs ?? [:]).keys.sorted().compactMap { name in
                guard let scope = registry[name] else {
                    return ValidationIssue(pointer: "\(pointer)/\(name)", message: "unknown additional cost '\(name)'")
                }
                guard scope == .both || scope == (item ? .item : .session) else {
                    return ValidationIssue(pointer: "\(pointer)/\(name)",
                                           message: "additional cost '\(name)' is of type \(scope.rawValue)")
                }
                return nil
            }
        }
        var issues = check(additionalCosts, base + "/additionalCosts", item: false)
        for (index, item) in (cartItems ?? []).enumerated() {
            issues += check(item.additionalCosts, "\(base)/cartItems/\(index)/additionalCosts", item: true)
        }
        return issues
    }

    /// The session after this update: sent fields replace, omitted fields keep, cart positions are renumbered.
    public func applied(to session: CustomerSession, now: Date) -> CustomerSession {
        var next = session
        if let profileId { next.profileId = profileId.isEmpty ? nil : profileId }
        if let storeIntegrationId { next.storeIntegrationId = storeIntegrationId }
        if let couponCodes { next.couponCodes = couponCodes }
        if let referralCode { next.referralCode = referralCode.isEmpty ? nil : referralCode }
        if let loyaltyCards { next.loyaltyCards = loyaltyCards }
        if let state { next.state = state }
        if let cartItems {
            next.cartItems = cartItems.enumerated().map { index, item in
                var item = item
                item.position = index
                return item
            }
        }
        if let additionalCosts { next.additionalCosts = additionalCosts }
        if let identifiers { next.identifiers = identifiers }
        if let attributes { next.attributes = attributes }
        next.updateCount += 1
        next.updated = now
        return next
    }
}
