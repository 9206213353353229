import Foundation

/// A named list of values (SKUs, brands, …) that rules test membership of: the account's (for the applications
/// it names) or one campaign's.
public struct ItemCollection: Sendable, Hashable {
    public var id: Int64
    public var accountId: Int64
    public var name: String
    public var description: String?
    /// Account collections: the applications whose rules may use it (empty: none).
    public var subscribedApplicationsIds: [Int64]
    /// Campaign collections: the campaign (and its application) that owns it.
    public var applicationId: Int64?
    public var campaignId: Int64?
    public var createdBy: Int64
    public var modifiedBy: Int64?
    public var created: Date
    public var modified: Date

    public init(id: Int64, accountId: Int64, name: String, createdBy: Int64, created: Date) {
        (self.id, self.accountId, self.name, self.createdBy, self.created, modified) =
            (id, accountId, name, createdBy, created, created)
        subscribedApplicationsIds = []
    }
}

/// The collections one application's rules may use, as sets (membership is a hash lookup, whatever the size):
/// loaded with the campaign configuration, not per request.
public struct CollectionSets: Sendable {
    public var account: [String: Set<String>]
    public var campaigns: [Int64: [String: Set<String>]]

    public init(account: [String: Set<String>] = [:], campaigns: [Int64: [String: Set<String>]] = [:]) {
        (self.account, self.campaigns) = (account, campaigns)
    }

    /// A campaign's own collection of that name first, else the account's.
    public func contains(_ value: String, in name: String, campaignId: Int64) -> Bool {
        (campaigns[campaignId]?[name] ?? account[name])?.contains(value) ?? false
    }
}

extension RuleScope {
    /// `isInCollection`: a hash lookup in the named collection (the current campaign's, else the account's).
    public func isInCollection(_ name: String, _ value: String) -> Bool {
        collections.contains(value, in: name, campaignId: origin.campaignId)
    }
}
