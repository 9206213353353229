import Foundation

/// A named set of campaigns and the applications it is shared with (Talon.One's campaign access groups).
public struct CampaignGroupSettings: Sendable, Hashable, Codable {
    public var name: String
    public var description: String?
    public var subscribedApplicationsIds: [Int64]?
    public var campaignIds: [Int64]?

    public func validate() -> [ValidationIssue] {
        name.trimmingCharacters(in: .whitespaces).isEmpty ? [.init(pointer: "/name", message: "must not be empty")] : []
    }
}

public struct CampaignGroup: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var accountId: Int64
    public var created: Date
    public var modified: Date
    public var settings: CampaignGroupSettings

    public init(id: Int64, accountId: Int64, created: Date, modified: Date, settings: CampaignGroupSettings) {
        self.id = id
        self.accountId = accountId
        self.created = created
        self.modified = modified
        self.settings = settings
    }
}
