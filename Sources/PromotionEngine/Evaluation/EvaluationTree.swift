import Foundation

/// How an application's campaigns are evaluated together: Talon.One's campaign evaluation tree.
///
/// Groups hold campaigns and other groups, in order. A group's mode decides which of its elements
/// apply: all of them (`stackable`), the first that triggers (`listOrder`, "exclusive"), or the one
/// giving the lowest or highest discount. Campaigns the tree does not name run after it, stackable,
/// so a new campaign works before anyone places it.
public struct EvaluationGroup: Sendable, Hashable, Codable {
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        case stackable, listOrder, lowestDiscount, highestDiscount
    }

    public indirect enum Element: Sendable, Hashable, Codable {
        case campaign(Int64)
        case group(EvaluationGroup)
    }

    public var id: Int64
    public var name: String
    public var description: String?
    public var mode: Mode
    public var elements: [Element]

    public init(id: Int64, name: String, description: String? = nil, mode: Mode, elements: [Element]) {
        self.id = id
        self.name = name
        self.description = description
        self.mode = mode
        self.elements = elements
    }

    /// Every campaign the tree names, in evaluation order.
    public var campaignIds: [Int64] {
        elements.flatMap { element -> [Int64] in
            switch element {
            case .campaign(let id): [id]
            case .group(let group): group.campaignIds
            }
        }
    }

    /// The tree followed by the `campaigns` it does not name, so every campaign has a place.
    func completed(with campaigns: [Int64]) -> EvaluationGroup {
        let named = Set(campaignIds)
        let unnamed = campaigns.filter { !named.contains($0) }
        guard !unnamed.isEmpty else { return self }
        // Stacked after the whole tree, whatever the root's own mode.
        return EvaluationGroup(id: 0, name: "unplaced", mode: .stackable,
                               elements: [.group(self)] + unnamed.map(Element.campaign))
    }

    /// The default: every campaign stacks, in catalogue order.
    public static func allStackable(_ campaigns: [Int64]) -> EvaluationGroup {
        EvaluationGroup(id: 0, name: "root", mode: .stackable, elements: campaigns.map(Element.campaign))
    }
}
