import Foundation

/// A call to the shop's systems that rules make with `triggerWebhook` (Talon.One's `Webhook`): the request's
/// verb, URL, headers and payload are templates filled with the rule's arguments, in `params` order.
public struct Webhook: Sendable, Hashable {
    public var id: Int64
    public var accountId: Int64
    public var created: Date
    public var modified: Date
    public var settings: WebhookSettings

    public init(id: Int64, accountId: Int64, created: Date, modified: Date, settings: WebhookSettings) {
        (self.id, self.accountId, self.created, self.modified, self.settings) = (id, accountId, created, modified, settings)
    }

    /// Whether rules of `applicationId` may trigger it (no applications listed: every application).
    public func applies(to applicationId: Int64) -> Bool {
        settings.applicationIds.isEmpty || settings.applicationIds.contains(applicationId)
    }
}

/// What a user sets on a webhook (`NewWebhook`).
public struct WebhookSettings: Sendable, Hashable, Codable {
    public enum Verb: String, Sendable, Hashable, Codable, CaseIterable, ClosedSetDecodable {
        case POST, PUT, GET, DELETE, PATCH
    }

    public var applicationIds: [Int64]
    public var title: String
    public var description: String?
    public var draft: Bool
    public var verb: Verb
    public var url: String
    /// `"Name: value"` lines.
    public var headers: [String]
    public var payload: String?
    public var params: [WebhookParameter]
    public var enabled: Bool
    public var authenticationId: Int64?

    public init(applicationIds: [Int64] = [], title: String, description: String? = nil, draft: Bool = false,
                verb: Verb = .POST, url: String, headers: [String] = [], payload: String? = nil,
                params: [WebhookParameter] = [], enabled: Bool = true, authenticationId: Int64? = nil)
    {
        self.applicationIds = applicationIds
        self.title = title
        self.description = description
        self.draft = draft
        self.verb = verb
        self.url = url
        self.headers = headers
        self.payload = payload
        self.params = params
        self.enabled = enabled
        self.authenticationId = authenticationId
    }

    public func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if title.range(of: #"^[A-Za-z][A-Za-z0-9_.!~*'() -]*$"#, options: .regularExpression) == nil {
            issues.append(.init(pointer: "/title", message: "must start with a letter and use letters, digits, spaces or _.!~*'()-"))
        }
        if URLComponents(string: url).flatMap({ $0.scheme == "http" || $0.scheme == "https" ? $0.host : nil }) == nil
            || URLComponents(string: url)?.host?.isEmpty != false
        {
            issues.append(.init(pointer: "/url", message: "must be an absolute http or https URL"))
        }
        for (index, header) in headers.enumerated() where WebhookHeader(header) == nil {
            issues.append(.init(pointer: "/headers/\(index)", message: "must be \"Name: value\""))
        }
        var names = Set<String>()
        for (index, parameter) in params.enumerated() {
            if parameter.title.isEmpty {
                issues.append(.init(pointer: "/params/\(index)/title", message: "must not be empty"))
            }
            if !names.insert(parameter.name).inserted {
                issues.append(.init(pointer: "/params/\(index)/key", message: "names a parameter twice"))
            }
        }
        return issues
    }
}

/// One typed argument of a webhook (`TemplateArgDef`); templates name it `${$name}`.
public struct WebhookParameter: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable, ClosedSetDecodable {
        case string, boolean, number, time
        case stringList = "(list string)"
        case numberList = "(list number)"
    }

    public var type: Kind
    public var description: String?
    public var title: String
    public var ui: JSONValue
    public var key: String?
    public var picklistID: Int64?
    public var restrictedByPicklist: Bool?

    public init(type: Kind, title: String, key: String? = nil, description: String? = nil, ui: JSONValue = .object([:])) {
        (self.type, self.title, self.key, self.description, self.ui) = (type, title, key, description, ui)
    }

    /// The placeholder's name: the `key` when set, else the title.
    public var name: String { (key?.isEmpty == false ? key : nil) ?? title }
}

/// A `"Name: value"` header line.
public struct WebhookHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init?(_ line: String) {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        name = line[..<colon].trimmingCharacters(in: .whitespaces)
        value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0 == "," }) else { return nil }
    }
}
