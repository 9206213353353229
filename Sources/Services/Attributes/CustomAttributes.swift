import Foundation
import PromotionEngine
import Storage

/// Creating a custom attribute, for the Management API and the Campaign Manager alike: the definition must be
/// valid and must not shadow a built-in attribute of its entity.
public enum CustomAttributes {
    public static func create(store: any Store, accountId: Int64, definition: AttributeDefinition, now: Date)
        async throws -> StoredAttribute
    {
        var issues = definition.validate()
        if AttributeCatalog().definition(definition.entity, definition.name) != nil {
            issues.append(.init(pointer: "/name",
                                message: "\(definition.name) is a built-in \(definition.entity.rawValue) attribute"))
        }
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return try await store.createAttribute(accountId: accountId, definition: definition, now: now)
    }
}
