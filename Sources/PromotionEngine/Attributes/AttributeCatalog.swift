/// The attributes an account knows (Talon.One's built-ins plus its custom ones), and the check that
/// refuses integration requests sending an unknown attribute or a value of the wrong type.
public struct AttributeCatalog: Sendable {
    private var definitions: [AttributeEntity: [String: AttributeDefinition]] = [:]

    public init(custom: [AttributeDefinition] = []) {
        for definition in Self.builtIn + custom { definitions[definition.entity, default: [:]][definition.name] = definition }
    }

    public func definition(_ entity: AttributeEntity, _ name: String) -> AttributeDefinition? {
        definitions[entity]?[name]
    }

    /// One issue per unknown attribute or mistyped value, at `pointer/<name>`.
    public func validate(_ attributes: [String: JSONValue], of entity: AttributeEntity, at pointer: String)
        -> [ValidationIssue]
    {
        attributes.keys.sorted().compactMap { name in
            guard let definition = definitions[entity]?[name] else {
                return ValidationIssue(
                    pointer: "\(pointer)/\(name)",
                    message: "unknown \(entity.rawValue) attribute '\(name)'; define it first with POST /v1/attributes"
                )
            }
            guard let value = attributes[name], definition.type.accepts(value) else {
                return ValidationIssue(pointer: "\(pointer)/\(name)", message: "must be of type \(definition.type.rawValue)")
            }
            return nil
        }
    }

    /// Checks every attribute a session update carries: the session's and each cart item's.
    public func validate(_ update: SessionUpdate) -> [ValidationIssue] {
        var issues = validate(update.attributes ?? [:], of: .customerSession, at: "/customerSession/attributes")
        for (index, item) in (update.cartItems ?? []).enumerated() {
            issues += validate(item.attributes ?? [:], of: .cartItem, at: "/customerSession/cartItems/\(index)/attributes")
        }
        return issues
    }

    /// Talon.One's built-in attributes, known without being defined.
    public static let builtIn: [AttributeDefinition] = {
        let profile: [(String, AttributeType)] = [
            ("Name", .string), ("Email", .string), ("Phone", .string), ("Gender", .string), ("BirthDate", .time),
            ("SignupDate", .time), ("ShippingName", .string), ("ShippingAddress1", .string), ("ShippingCity", .string),
            ("ShippingRegion", .string), ("ShippingCountry", .string), ("ShippingPostalCode", .string),
            ("BillingName", .string), ("BillingAddress1", .string), ("BillingCity", .string), ("BillingRegion", .string),
            ("BillingCountry", .string), ("BillingPostalCode", .string), ("Language", .string), ("Currency", .string),
        ]
        let session: [(String, AttributeType)] = [
            ("ShippingMethod", .string), ("PaymentMethod", .string), ("ShippingCost", .number), ("ShippingName", .string),
            ("ShippingAddress1", .string), ("ShippingCity", .string), ("ShippingRegion", .string),
            ("ShippingCountry", .string), ("ShippingPostalCode", .string), ("BillingName", .string),
            ("BillingAddress1", .string), ("BillingCity", .string), ("BillingCountry", .string),
            ("BillingPostalCode", .string), ("Currency", .string), ("Discount", .number),
        ]
        let cartItem: [(String, AttributeType)] = [("Color", .string), ("Size", .string), ("Brand", .string)]
        return profile.map { AttributeDefinition(entity: .customerProfile, name: $0.0, type: $0.1, editable: false) }
            + session.map { AttributeDefinition(entity: .customerSession, name: $0.0, type: $0.1, editable: false) }
            + cartItem.map { AttributeDefinition(entity: .cartItem, name: $0.0, type: $0.1, editable: false) }
    }()
}
