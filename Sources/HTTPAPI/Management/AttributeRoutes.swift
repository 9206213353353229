import Foundation
import Hummingbird
import PromotionEngine
import Services
import Storage

/// `/v1/attributes`: the account's custom attributes (the built-in ones need no definition).
struct AttributeRoutes {
    let store: any Store
    let configuration: APIConfiguration

    /// The SDK's `Attribute`.
    struct AttributeBody: Encodable, Sendable {
        var id: Int64
        var created: Date
        var accountId: Int64
        var entity: AttributeEntity
        var eventType: String?
        var name: String
        var title: String
        var type: AttributeType
        var description: String
        var suggestions: [String]
        var hasAllowedList = false
        var restrictedBySuggestions = false
        var editable: Bool

        init(_ stored: StoredAttribute) {
            let definition = stored.definition
            id = stored.id
            created = stored.created
            accountId = stored.accountId
            entity = definition.entity
            eventType = definition.eventType
            name = definition.name
            title = definition.title
            type = definition.type
            description = definition.description
            suggestions = definition.suggestions
            editable = definition.editable
        }
    }

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/attributes") { request, context in
            let (accountId, _) = try context.managementCaller()
            let stored = try await CustomAttributes.create(
                store: store, accountId: accountId, definition: try await decode(request), now: Date().storagePrecision
            )
            return try WireCoding.response(AttributeBody(stored), status: .created)
        }
        routes.on(.get, "/v1/attributes") { request, context in
            let (accountId, _) = try context.managementCaller()
            var entity: AttributeEntity?
            if let text = request.uri.queryParameters.get("entity") {
                guard let value = AttributeEntity(rawValue: text) else {
                    throw APIError.badParameter("entity", "must be one of \(AttributeEntity.allCases.map(\.rawValue))")
                }
                entity = value
            }
            let page = try await store.attributes(accountId: accountId, entity: entity, page: request.pageRequest())
            return try WireCoding.response(Listing(totalResultSize: page.totalCount, data: page.items.map(AttributeBody.init)))
        }
        routes.on(.get, "/v1/attributes/:attributeId") { _, context in
            let stored = try await store.attribute(id: context.id("attributeId"), accountId: context.managementCaller().accountId)
            return try WireCoding.response(AttributeBody(stored))
        }
        routes.on(.put, "/v1/attributes/:attributeId") { request, context in
            let (accountId, _) = try context.managementCaller()
            let id = try context.id("attributeId")
            let current = try await store.attribute(id: id, accountId: accountId)
            let definition = try await decode(request)
            // The name, entity and type are what stored data and rules rely on: they cannot change.
            var issues: [ValidationIssue] = []
            if definition.name != current.definition.name { issues.append(.init(pointer: "/name", message: "cannot change")) }
            if definition.entity != current.definition.entity { issues.append(.init(pointer: "/entity", message: "cannot change")) }
            if definition.type != current.definition.type { issues.append(.init(pointer: "/type", message: "cannot change")) }
            guard issues.isEmpty else { throw ValidationFailure(issues) }
            return try WireCoding.response(AttributeBody(try await store.updateAttribute(id: id, accountId: accountId,
                                                                                          definition: definition)))
        }
    }

    private func decode(_ request: Request) async throws -> AttributeDefinition {
        let definition = try await request.decodeJSON(AttributeDefinition.self, limit: configuration.maxBodySize)
        let issues = definition.validate()
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return definition
    }
}
