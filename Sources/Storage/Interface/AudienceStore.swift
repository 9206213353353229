import Foundation
import PromotionEngine

/// A member of an audience: the profile's integration id, and the profile when one exists in the account.
public struct AudienceMember: Sendable, Hashable {
    public var membershipId: Int64
    public var profileIntegrationId: String
    public var profile: CustomerProfile?
    public var created: Date

    public init(membershipId: Int64, profileIntegrationId: String, profile: CustomerProfile?, created: Date) {
        (self.membershipId, self.profileIntegrationId, self.profile, self.created) =
            (membershipId, profileIntegrationId, profile, created)
    }
}

/// Audiences of an account and their members (account-wide, by profile integration id).
public protocol AudienceStore: Sendable {
    /// Inserts the audience (its `id` is ignored); an `integrationId` used by another audience of the same
    /// `integration` is a `StoreError.conflict`.
    func createAudience(_ audience: Audience) async throws -> Audience
    func audience(id: Int64, accountId: Int64) async throws -> Audience
    func updateAudience(_ audience: Audience) async throws -> Audience
    /// Deletes the audience and its memberships.
    func deleteAudience(id: Int64, accountId: Int64) async throws
    func audiences(accountId: Int64, page: PageRequest) async throws -> (audiences: [Audience], hasMore: Bool)
    func countAudiences(accountId: Int64) async throws -> Int
    /// Members in join order.
    func audienceMembers(audienceId: Int64, accountId: Int64, page: PageRequest) async throws
        -> (members: [AudienceMember], hasMore: Bool)
    /// Removes every member of the audience.
    func deleteAudienceMemberships(audienceId: Int64, accountId: Int64) async throws
    /// Replaces the audience's members by these (an import), in one transaction; returns how many it has then.
    func replaceAudienceMembers(audienceId: Int64, accountId: Int64, profileIntegrationIds: [String], now: Date)
        async throws -> Int
    /// Sets the attributes (merged over the ones they have) on every profile of the account's applications whose
    /// integration id is a member, in one statement; returns how many profiles changed.
    func updateAudienceMemberAttributes(audienceId: Int64, accountId: Int64, attributes: [String: JSONValue])
        async throws -> Int
    /// Applies the changes in one transaction, in order; an audience that is not the account's is `notFound`.
    func changeAudienceMemberships(_ changes: [AudienceMembershipChange], accountId: Int64, now: Date) async throws
    /// The audiences the profile is a member of, by id.
    func audienceMemberships(accountId: Int64, profileIntegrationId: String) async throws -> [Audience]
    /// How many members each audience of the account has.
    func audienceMemberCounts(accountId: Int64) async throws -> [Int64: Int]
}
