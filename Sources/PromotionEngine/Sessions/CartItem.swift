import Foundation
import Talang

/// A cost on top of the cart items, such as shipping (`additionalCosts: {"shipping": {"price": 5}}`).
public struct AdditionalCost: Sendable, Hashable, Codable {
    public var price: Decimal
    public init(price: Decimal) { self.price = price }
}

/// One line of the cart as the shop sends it.
public struct CartItem: Sendable, Hashable, Codable {
    public var name: String?
    public var sku: String
    public var quantity: Int
    public var price: Decimal?
    public var category: String?
    public var weight: Decimal?
    public var height: Decimal?
    public var width: Decimal?
    public var length: Decimal?
    public var position: Int?
    public var attributes: [String: JSONValue]?
    public var additionalCosts: [String: AdditionalCost]?
    public var returnedQuantity: Int?
    public var remainingQuantity: Int?

    public init(name: String? = nil, sku: String, quantity: Int, price: Decimal?, category: String? = nil) {
        self.name = name
        self.sku = sku
        self.quantity = quantity
        self.price = price
        self.category = category
    }

    /// Price × quantity plus the item's own additional costs; an item without a price counts as 0.
    public var total: Decimal { DecimalMath.product(price ?? 0, Decimal(quantity)) }

    static let maximumQuantity = 10_000

    func validate(at pointer: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if sku.isEmpty { issues.append(.init(pointer: pointer + "/sku", message: "must not be empty")) }
        if quantity < 1 { issues.append(.init(pointer: pointer + "/quantity", message: "must be at least 1")) }
        if quantity > Self.maximumQuantity {
            issues.append(.init(pointer: pointer + "/quantity", message: "must be at most \(Self.maximumQuantity)"))
        }
        if let price, price < 0 { issues.append(.init(pointer: pointer + "/price", message: "must not be negative")) }
        for (key, cost) in additionalCosts ?? [:] where cost.price < 0 {
            issues.append(.init(pointer: "\(pointer)/additionalCosts/\(key)/price", message: "must not be negative"))
        }
        return issues
    }
}
