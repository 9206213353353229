import Foundation
import PromotionEngine

/// `syncCatalog`'s body as the spec's `CatalogSyncRequest`: decoded loosely (one payload shape for every type), then
/// read into typed actions, each fault named by its pointer.
struct CatalogSyncBody: Decodable {
    struct Filter: Decodable {
        var attr: String
        var op: String
        var value: JSONValue
    }

    struct Product: Decodable {
        var name: String
    }

    struct Payload: Decodable {
        var sku: String?
        var price: Decimal?
        var attributes: [String: JSONValue]?
        var product: Product?
        var replaceIfExists: Bool?
        var createIfNotExists: Bool?
        var filters: [Filter]?
    }

    struct Action: Decodable {
        var type: String
        var payload: Payload
    }

    var actions: [Action]
    var version: Int64?

    /// The typed actions; the request's own faults (unknown types, missing SKUs, mixed types, repeated SKUs) as
    /// one `ValidationFailure` listing all of them.
    func typedActions() throws -> [CatalogSyncAction] {
        var issues: [ValidationIssue] = []
        if let version, version < 1 { issues.append(.init(pointer: "/version", message: "must be at least 1")) }
        let actions = actions.enumerated().compactMap { index, action -> CatalogSyncAction? in
            do {
                return try Self.typed(action, at: "/actions/\(index)")
            } catch let issue as ValidationIssue {
                issues.append(issue)
            } catch {
                issues.append(.init(pointer: "/actions/\(index)", message: "\(error)"))
            }
            return nil
        }
        if issues.isEmpty { issues = CatalogSync.validate(actions) }
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return actions
    }

    private static func typed(_ action: Action, at pointer: String) throws -> CatalogSyncAction {
        let payload = action.payload
        func change() throws -> CatalogItemChange {
            guard let sku = payload.sku else {
                throw ValidationIssue(pointer: pointer + "/payload/sku", message: "required for \(action.type)")
            }
            return CatalogItemChange(sku: sku, price: payload.price, attributes: payload.attributes,
                                     product: payload.product?.name)
        }
        func filters() throws -> [CatalogFilter] {
            try (payload.filters ?? []).enumerated().map { index, filter in
                guard let op = CatalogFilter.Operator(rawValue: filter.op) else {
                    throw ValidationIssue(pointer: "\(pointer)/payload/filters/\(index)/op",
                                          message: "must be one of EQ, LT, LE, GT, GE, IN")
                }
                return CatalogFilter(attribute: filter.attr, op: op, value: filter.value)
            }
        }
        switch action.type {
        case "ADD": return .add(try change(), replaceIfExists: payload.replaceIfExists ?? false)
        case "PATCH": return .patch(try change(), createIfNotExists: payload.createIfNotExists ?? false)
        case "PATCH_MANY": return .patchMany(filters: try filters(), price: payload.price, attributes: payload.attributes)
        case "REMOVE":
            guard let sku = payload.sku else {
                throw ValidationIssue(pointer: pointer + "/payload/sku", message: "required for REMOVE")
            }
            return .remove(sku: sku)
        case "REMOVE_MANY": return .removeMany(filters: try filters())
        case "ADD_PRICE_ADJUSTMENT":
            throw ValidationIssue(pointer: pointer + "/type", message: "price adjustments (a beta of Talon.One) are not supported")
        default:
            throw ValidationIssue(pointer: pointer + "/type",
                                  message: "must be one of ADD, PATCH, PATCH_MANY, REMOVE, REMOVE_MANY")
        }
    }
}
