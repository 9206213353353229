import Foundation
import PromotionEngine

/// A custom attribute as stored: its definition plus identity.
public struct StoredAttribute: Sendable {
    public var id: Int64
    public var accountId: Int64
    public var created: Date
    public var definition: AttributeDefinition

    public init(id: Int64, accountId: Int64, created: Date, definition: AttributeDefinition) {
        self.id = id
        self.accountId = accountId
        self.created = created
        self.definition = definition
    }
}

/// Custom attributes of an account.
public protocol AttributeStore: Sendable {
    /// Fails with `StoreError.conflict` when the entity already has an attribute of that name.
    func createAttribute(accountId: Int64, definition: AttributeDefinition, now: Date) async throws -> StoredAttribute
    func attributes(accountId: Int64, entity: AttributeEntity?, page: PageRequest) async throws -> Page<StoredAttribute>
    func attribute(id: Int64, accountId: Int64) async throws -> StoredAttribute
    func updateAttribute(id: Int64, accountId: Int64, definition: AttributeDefinition) async throws -> StoredAttribute
    /// Changes whenever the account's attributes change (cache invalidation across nodes).
    func attributeRevision(accountId: Int64) async throws -> Int64
}
