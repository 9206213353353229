/// Which campaigns can apply to a session, found without visiting every campaign: the engine's cost then grows
/// with the campaigns that *can* apply, not with all the application has.
///
/// A campaign can apply when one of its rules needs neither a coupon nor a cart item (always a candidate), when a
/// rule needs a cart item the cart has (found through the item's SKU and category), when a coupon of its own was
/// sent, or when it is the referral's campaign. Candidates still go through every check a campaign goes through
/// (``RuleEngine``): the index only leaves out campaigns that would have been skipped anyway.
public struct CampaignIndex: Sendable {
    /// How many campaigns were indexed: an index only serves the exact list it was built from.
    let count: Int
    /// Positions (in evaluation order) of campaigns that are candidates for every session.
    let unconditional: [Int]
    /// Positions of campaigns by the cart items their rules need.
    let byCartItem: [CartItemRequirement: [Int]]
    let positionByCampaignId: [Int64: Int]

    public init(_ programs: [CampaignProgram]) {
        count = programs.count
        var unconditional: [Int] = []
        var byCartItem: [CartItemRequirement: [Int]] = [:]
        var positions: [Int64: Int] = [:]
        for (position, program) in programs.enumerated() {
            positions[program.campaignId] = positions[program.campaignId] ?? position
            let withoutCoupon = program.rules.filter { !$0.requiresCoupon }
            if withoutCoupon.contains(where: { $0.requiredCartItem == nil }) {
                unconditional.append(position)
                continue
            }
            for requirement in Set(withoutCoupon.compactMap(\.requiredCartItem)) {
                byCartItem[requirement, default: []].append(position)
            }
        }
        self.unconditional = unconditional
        self.byCartItem = byCartItem
        positionByCampaignId = positions
    }

    /// Where the (first) program of a campaign is in the indexed list.
    public func position(ofCampaign campaignId: Int64) -> Int? { positionByCampaignId[campaignId] }

    /// The positions to evaluate, in evaluation order.
    func candidates(for session: CustomerSession, couponCampaignIds: [Int64], referralCampaignId: Int64?) -> [Int] {
        var positions = unconditional
        if !byCartItem.isEmpty {
            for item in session.cartItems {
                positions += byCartItem[CartItemRequirement(field: .sku, value: item.sku)] ?? []
                positions += byCartItem[CartItemRequirement(field: .category, value: item.category ?? "")] ?? []
            }
        }
        positions += (couponCampaignIds + (referralCampaignId.map { [$0] } ?? [])).compactMap {
            positionByCampaignId[$0]
        }
        guard positions.count != unconditional.count else { return unconditional }  // already ascending
        return Array(Set(positions)).sorted()
    }
}
