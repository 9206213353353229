import Foundation

/// One condition of `PATCH_MANY`/`REMOVE_MANY` on an item attribute (the spec's `op`: EQ, LT, LE, GT, GE, IN).
public struct CatalogFilter: Sendable, Hashable {
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "EQ", less = "LT", lessOrEqual = "LE", greater = "GT", greaterOrEqual = "GE", oneOf = "IN"
    }

    public var attribute: String
    public var op: Operator
    public var value: JSONValue

    public init(attribute: String, op: Operator, value: JSONValue) {
        (self.attribute, self.op, self.value) = (attribute, op, value)
    }

    /// Whether the item's attribute passes. Numbers compare by value, also when one side is a numeric string
    /// (the spec's example filters `size GT "45"`); an item without the attribute never passes.
    public func matches(_ item: CatalogItem) -> Bool {
        guard let actual = item.attributes[attribute] else { return false }
        switch op {
        case .equal: return Self.equal(actual, value)
        case .oneOf:
            let options: [JSONValue] = switch value {
            case .array(let values): values
            case .string(let text): text.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) }
            default: [value]
            }
            return options.contains { Self.equal(actual, $0) }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let left = Self.number(actual), let right = Self.number(value) else { return false }
            switch op {
            case .less: return left < right
            case .lessOrEqual: return left <= right
            case .greater: return left > right
            default: return left >= right
            }
        }
    }

    static func number(_ value: JSONValue) -> Decimal? {
        switch value {
        case .number(let number): number
        case .string(let text): Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
            .flatMap { $0.isNaN ? nil : $0 }
        default: nil
        }
    }

    static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
        if left == right { return true }
        if case .string = left, case .string = right { return false }
        guard let left = number(left), let right = number(right) else { return false }
        return left == right
    }
}

/// What one item action of a sync says about an item.
public struct CatalogItemChange: Sendable, Hashable {
    public var sku: String
    public var price: Decimal?
    public var attributes: [String: JSONValue]?
    public var product: String?

    public init(sku: String, price: Decimal? = nil, attributes: [String: JSONValue]? = nil, product: String? = nil) {
        (self.sku, self.price, self.attributes, self.product) = (sku, price, attributes, product)
    }
}

/// The actions of `syncCatalog`.
public enum CatalogSyncAction: Sendable, Hashable {
    case add(CatalogItemChange, replaceIfExists: Bool)
    case patch(CatalogItemChange, createIfNotExists: Bool)
    case patchMany(filters: [CatalogFilter], price: Decimal?, attributes: [String: JSONValue]?)
    case remove(sku: String)
    case removeMany(filters: [CatalogFilter])

    /// The SKU an item action names (nil for the filtered ones).
    public var sku: String? {
        switch self {
        case .add(let change, _), .patch(let change, _): change.sku
        case .remove(let sku): sku
        case .patchMany, .removeMany: nil
        }
    }
}

/// What a sync does to a catalog's rows.
public struct CatalogChanges: Sendable, Hashable {
    /// A SKU's new price, to record in the price history.
    public struct PriceChange: Sendable, Hashable {
        public var sku: String
        public var price: Decimal
    }

    /// Items to insert (`id` 0) or update, with the sync's version.
    public var saved: [CatalogItem] = []
    public var removed: [CatalogItem] = []
    public var prices: [PriceChange] = []
}

/// Works out a sync (pure, so both backends apply the same changes): the actions in order against the items they
/// name, read by the store in the sync's transaction.
public enum CatalogSync {
    public static let maximumActions = 1000

    /// The request's own faults, before any item is read: one type of action per request, each SKU once.
    public static func validate(_ actions: [CatalogSyncAction]) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if actions.isEmpty { issues.append(.init(pointer: "/actions", message: "must hold at least one action")) }
        if actions.count > maximumActions {
            issues.append(.init(pointer: "/actions", message: "must hold at most \(maximumActions) actions"))
        }
        var seen: Set<String> = []
        for (index, action) in actions.enumerated() {
            if index > 0, action.typeName != actions[0].typeName {
                issues.append(.init(pointer: "/actions/\(index)/type",
                                    message: "one type of action per request (the first is \(actions[0].typeName))"))
            }
            if let sku = action.sku {
                if sku.isEmpty || sku.count > 1000 {
                    issues.append(.init(pointer: "/actions/\(index)/payload/sku", message: "must be 1 to 1000 characters"))
                } else if !seen.insert(sku).inserted {
                    issues.append(.init(pointer: "/actions/\(index)/payload/sku", message: "SKU \(sku) appears twice in this request"))
                }
            }
            if let price = action.price, price < 0 {
                issues.append(.init(pointer: "/actions/\(index)/payload/price", message: "must not be negative"))
            }
        }
        return issues
    }

    /// Whether the actions select items by filter (the store then reads the whole catalog, else only the SKUs named).
    public static func selectsByFilter(_ actions: [CatalogSyncAction]) -> Bool {
        actions.contains { $0.sku == nil }
    }

    /// The changes; an action that cannot apply (adding a SKU that exists without `replaceIfExists`, patching or
    /// removing one that does not exist) fails the whole sync, naming the action.
    public static func plan(_ actions: [CatalogSyncAction], existing: [CatalogItem], catalogId: Int64, version: Int64,
                            now: Date) throws -> CatalogChanges
    {
        let before = Dictionary(existing.map { ($0.sku, $0) }, uniquingKeysWith: { first, _ in first })
        var current = before
        var touched: [String] = []
        func fail(_ index: Int, _ message: String) -> ValidationIssue {
            ValidationIssue(pointer: "/actions/\(index)/payload/sku", message: message)
        }
        func save(_ item: CatalogItem) {
            if current[item.sku] == nil || !touched.contains(item.sku) { touched.append(item.sku) }
            current[item.sku] = item
        }
        func new(_ change: CatalogItemChange) -> CatalogItem {
            CatalogItem(catalogId: catalogId, sku: change.sku, price: change.price, attributes: change.attributes ?? [:],
                        product: change.product, version: version, created: now)
        }
        for (index, action) in actions.enumerated() {
            switch action {
            case .add(let change, let replaceIfExists):
                guard var item = current[change.sku] else { save(new(change)); continue }
                guard replaceIfExists else { throw fail(index, "an item with SKU \(change.sku) exists; set replaceIfExists to replace it") }
                item.attributes = change.attributes ?? [:]
                item.price = change.price ?? item.price
                item.product = change.product
                save(item)
            case .patch(let change, let createIfNotExists):
                guard var item = current[change.sku] else {
                    guard createIfNotExists else { throw fail(index, "no item with SKU \(change.sku) in this catalog") }
                    save(new(change))
                    continue
                }
                item.attributes.merge(change.attributes ?? [:]) { _, patched in patched }
                item.price = change.price ?? item.price
                item.product = change.product
                save(item)
            case .patchMany(let filters, let price, let attributes):
                for var item in current.values.sorted(by: { $0.sku < $1.sku })
                where filters.allSatisfy({ $0.matches(item) }) {
                    item.attributes.merge(attributes ?? [:]) { _, patched in patched }
                    item.price = price ?? item.price
                    save(item)
                }
            case .remove(let sku):
                guard current.removeValue(forKey: sku) != nil else { throw fail(index, "no item with SKU \(sku) in this catalog") }
            case .removeMany(let filters):
                for item in current.values where filters.allSatisfy({ $0.matches(item) }) {
                    current.removeValue(forKey: item.sku)
                }
            }
        }
        var changes = CatalogChanges()
        changes.removed = before.values.filter { current[$0.sku] == nil }.sorted { $0.sku < $1.sku }
        for sku in touched {
            guard var item = current[sku] else { continue }
            item.version = version
            changes.saved.append(item)
            if let price = item.price, price != before[sku]?.price { changes.prices.append(.init(sku: sku, price: price)) }
        }
        return changes
    }
}

extension CatalogSyncAction {
    /// The spec's `type`.
    public var typeName: String {
        switch self {
        case .add: "ADD"
        case .patch: "PATCH"
        case .patchMany: "PATCH_MANY"
        case .remove: "REMOVE"
        case .removeMany: "REMOVE_MANY"
        }
    }

    var price: Decimal? {
        switch self {
        case .add(let change, _), .patch(let change, _): change.price
        case .patchMany(_, let price, _): price
        case .remove, .removeMany: nil
        }
    }
}
