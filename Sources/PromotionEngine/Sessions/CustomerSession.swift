import Foundation
import Talang

/// A customer session (a cart) as Sconto keeps it between updates.
public struct CustomerSession: Sendable, Hashable {
    public var id: Int64
    public var integrationId: String
    public var applicationId: Int64
    public var profileId: String?
    public var storeIntegrationId: String?
    public var couponCodes: [String]
    public var referralCode: String?
    public var loyaltyCards: [String]
    public var state: SessionState
    public var cartItems: [CartItem]
    public var additionalCosts: [String: AdditionalCost]
    public var identifiers: [String]
    public var attributes: [String: JSONValue]
    public var firstSession: Bool
    public var updateCount: Int
    public var created: Date
    public var updated: Date

    public init(
        id: Int64 = 0, integrationId: String, applicationId: Int64, profileId: String? = nil,
        storeIntegrationId: String? = nil, couponCodes: [String] = [], referralCode: String? = nil,
        loyaltyCards: [String] = [], state: SessionState = .open, cartItems: [CartItem] = [],
        additionalCosts: [String: AdditionalCost] = [:], identifiers: [String] = [],
        attributes: [String: JSONValue] = [:], firstSession: Bool = false, updateCount: Int = 0,
        created: Date, updated: Date
    ) {
        self.id = id
        self.integrationId = integrationId
        self.applicationId = applicationId
        self.profileId = profileId
        self.storeIntegrationId = storeIntegrationId
        self.couponCodes = couponCodes
        self.referralCode = referralCode
        self.loyaltyCards = loyaltyCards
        self.state = state
        self.cartItems = cartItems
        self.additionalCosts = additionalCosts
        self.identifiers = identifiers
        self.attributes = attributes
        self.firstSession = firstSession
        self.updateCount = updateCount
        self.created = created
        self.updated = updated
    }

    /// Σ price × quantity over the cart, before discounts.
    public var cartItemTotal: Decimal { cartItems.reduce(0) { DecimalMath.sum($0, $1.total) } }

    /// Σ of the session's additional costs and the items' own additional costs (× quantity), before discounts.
    public var additionalCostTotal: Decimal {
        DecimalMath.sum(additionalCosts.values.reduce(Decimal(0)) { DecimalMath.sum($0, $1.price) },
                        cartItemAdditionalCostTotal)
    }

    /// Σ of the items' own additional costs (× quantity), before discounts.
    public var cartItemAdditionalCostTotal: Decimal {
        cartItems.reduce(Decimal(0)) { sum, item in
            // An item without costs adds Foundation's zero, which leaves the sum as it is.
            guard let costs = item.additionalCosts, !costs.isEmpty else { return sum }
            let perUnit = costs.values.reduce(Decimal(0)) { DecimalMath.sum($0, $1.price) }
            return DecimalMath.sum(sum, DecimalMath.product(perUnit, Decimal(item.quantity)))
        }
    }

    /// Cart items plus additional costs, before discounts.
    public var total: Decimal { DecimalMath.sum(cartItemTotal, additionalCostTotal) }
}
