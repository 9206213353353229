import Foundation

/// The entities that carry custom attributes.
public enum AttributeEntity: String, Sendable, Hashable, Codable, CaseIterable, ClosedSetDecodable {
    case application = "Application", campaign = "Campaign", customerProfile = "CustomerProfile"
    case customerSession = "CustomerSession", cartItem = "CartItem", coupon = "Coupon", event = "Event"
    case giveaway = "Giveaway", referral = "Referral", store = "Store"
}

/// The value types an attribute can declare.
public enum AttributeType: String, Sendable, Hashable, Codable, CaseIterable, ClosedSetDecodable {
    case string, number, boolean, time, location
    case stringList = "(list string)", numberList = "(list number)", timeList = "(list time)"
    case locationList = "(list location)"

    /// Whether a JSON value a client sent fits this type (times as RFC 3339 strings).
    public func accepts(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (_, .null): true
        case (.string, .string), (.location, .string), (.number, .number), (.boolean, .bool): true
        case (.time, .string(let text)): Self.isTime(text)
        case (.stringList, .array(let items)), (.locationList, .array(let items)):
            items.allSatisfy { if case .string = $0 { true } else { false } }
        case (.numberList, .array(let items)): items.allSatisfy { if case .number = $0 { true } else { false } }
        case (.timeList, .array(let items)):
            items.allSatisfy { if case .string(let text) = $0 { Self.isTime(text) } else { false } }
        default: false
        }
    }

    private static func isTime(_ text: String) -> Bool {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)) != nil
            || (try? Date.ISO8601FormatStyle().parse(text)) != nil
    }
}

/// A custom (or built-in) attribute: which entity carries it, its name in the API and in rules, its type.
public struct AttributeDefinition: Sendable, Hashable, Codable {
    public var entity: AttributeEntity
    public var eventType: String?
    public var name: String
    public var title: String
    public var type: AttributeType
    public var description: String
    public var suggestions: [String]
    public var editable: Bool

    public init(entity: AttributeEntity, name: String, title: String? = nil, type: AttributeType,
                description: String = "", suggestions: [String] = [], editable: Bool = true, eventType: String? = nil)
    {
        self.entity = entity
        self.name = name
        self.title = title ?? name
        self.type = type
        self.description = description
        self.suggestions = suggestions
        self.editable = editable
        self.eventType = eventType
    }

    public func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_"))
        if name.isEmpty || name.unicodeScalars.contains(where: { !allowed.contains($0) }) || name.first?.isNumber == true {
            issues.append(.init(pointer: "/name", message: "must be letters, digits and _ (not starting with a digit)"))
        }
        if suggestions.count > 50 { issues.append(.init(pointer: "/suggestions", message: "must have at most 50 entries")) }
        if entity == .event && (eventType ?? "").isEmpty {
            issues.append(.init(pointer: "/eventType", message: "is required for Event attributes"))
        }
        return issues
    }
}
