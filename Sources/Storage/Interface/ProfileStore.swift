import Foundation
import PromotionEngine

/// Writes of a profile update or a custom event, in one transaction.
public struct ProfileCommit: Sendable {
    public var applicationId: Int64
    public var integrationId: String
    /// Attributes to set; keys not named keep their values.
    public var attributes: [String: JSONValue]
    public var event: SessionEvent?
    public var now: Date

    public init(applicationId: Int64, integrationId: String, attributes: [String: JSONValue], event: SessionEvent?,
                now: Date)
    {
        self.applicationId = applicationId
        self.integrationId = integrationId
        self.attributes = attributes
        self.event = event
        self.now = now
    }
}

/// Customer profiles outside of session updates: attribute updates, custom events, erasure.
public protocol ProfileStore: Sendable {
    /// Creates the profile when missing, merges the attributes, records the event. Returns the stored profile
    /// and the event with its id.
    func commitProfile(_ commit: ProfileCommit) async throws -> (CustomerProfile, SessionEvent?)
    /// Several profile commits in one transaction (the bulk endpoint): all or none.
    func commitProfiles(_ commits: [ProfileCommit]) async throws -> [CustomerProfile]
    /// Erases the personal data of a customer: the profile's attributes and its sessions' attributes.
    /// Counters (closed sessions, total sales) stay, as they hold no personal data.
    func eraseCustomerData(applicationId: Int64, integrationId: String) async throws
}
