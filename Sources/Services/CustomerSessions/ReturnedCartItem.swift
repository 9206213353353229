import PromotionEngine

/// One line of a return (`returnedCartItems`): the cart item by `position` or by `sku`, and how many units.
public struct ReturnedCartItem: Sendable, Hashable {
    public var position: Int?
    public var sku: String?
    /// Units to return; one when omitted.
    public var quantity: Int?

    public init(position: Int? = nil, sku: String? = nil, quantity: Int? = nil) {
        self.position = position
        self.sku = sku
        self.quantity = quantity
    }

    /// The cart position this line returns: the one given, else the first item with this SKU that still has
    /// enough units left (or any left). `pointer` names the line for the issues.
    func position(in cart: [CartItem], pointer: String) throws -> Int {
        if let position {
            if let sku, cart.indices.contains(position), cart[position].sku != sku {
                throw ValidationIssue(pointer: pointer + "/sku", message: "is not the SKU of the cart item at position \(position)")
            }
            return position
        }
        guard let sku else { throw ValidationIssue(pointer: pointer, message: "needs a position or a sku") }
        let left = { (item: CartItem) in item.quantity - (item.returnedQuantity ?? 0) }
        let wanted = quantity ?? 1
        guard let found = cart.firstIndex(where: { $0.sku == sku && left($0) >= wanted })
            ?? cart.firstIndex(where: { $0.sku == sku && left($0) > 0 })
        else { throw ValidationIssue(pointer: pointer + "/sku", message: "no cart item with this SKU has units left to return") }
        return found
    }
}
