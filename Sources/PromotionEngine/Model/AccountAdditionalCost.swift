import Foundation

/// An additional cost the account defines (`AccountAdditionalCost`: shipping, packaging, …). Sessions name their
/// additional costs by `name`; discounts on one carry its id (`setDiscountPerAdditionalCost.additionalCostId`).
public struct AccountAdditionalCost: Sendable, Hashable {
    public var id: Int64
    public var accountId: Int64
    public var created: Date
    public var settings: AdditionalCostSettings

    public init(id: Int64, accountId: Int64, created: Date, settings: AdditionalCostSettings) {
        self.id = id
        self.accountId = accountId
        self.created = created
        self.settings = settings
    }

    /// Whether a session of `applicationId` may use it (no subscribed applications: every application).
    public func applies(to applicationId: Int64) -> Bool {
        settings.subscribedApplicationsIds?.isEmpty ?? true
            || settings.subscribedApplicationsIds?.contains(applicationId) == true
    }
}

/// What a user sets on an additional cost (`NewAdditionalCost`).
public struct AdditionalCostSettings: Sendable, Hashable, Codable {
    public var name: String
    public var title: String
    public var description: String
    public var subscribedApplicationsIds: [Int64]?
    public var type: AdditionalCostScope?

    public init(name: String, title: String, description: String = "", subscribedApplicationsIds: [Int64]? = nil,
                type: AdditionalCostScope? = nil) {
        self.name = name
        self.title = title
        self.description = description
        self.subscribedApplicationsIds = subscribedApplicationsIds
        self.type = type
    }

    public func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if name.isEmpty || name.count > 255 || name.contains(where: { $0.isWhitespace }) {
            issues.append(.init(pointer: "/name", message: "must be 1 to 255 characters without spaces"))
        }
        if title.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(.init(pointer: "/title", message: "must not be empty"))
        }
        return issues
    }
}

/// Where an additional cost may be set: on the session, on cart items, or both.
public enum AdditionalCostScope: String, Sendable, Hashable, Codable, CaseIterable, ClosedSetDecodable {
    case session, item, both
}
