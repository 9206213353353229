import Foundation

/// Fills a webhook's templates with a rule's arguments: `${$name}` (Talon.One's form) or `${name}` is replaced
/// by the argument of the parameter with that name. In a JSON payload a value inside a string literal is
/// escaped as string content and a value outside one is written as a JSON value, so an argument can never
/// break out of the document; in a URL it is percent-encoded. Unknown names are left as they are.
public enum WebhookTemplate {
    public enum Context: Sendable { case json, text, url }

    public static func render(_ template: String, arguments: [String: JSONValue], context: Context) -> String {
        var output = ""
        output.reserveCapacity(template.utf8.count)
        var inString = false
        var escaped = false
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            if character == "$", let (name, end) = placeholder(in: template, at: index), let value = arguments[name] {
                output += text(of: value, context: context, inString: inString)
                index = end
                continue
            }
            if context == .json {
                if escaped { escaped = false } else if character == "\\" && inString { escaped = true }
                else if character == "\"" { inString.toggle() }
            }
            output.append(character)
            index = template.index(after: index)
        }
        return output
    }

    /// `${$name}` or `${name}` starting at `start`: the name and the index after the closing brace.
    private static func placeholder(in template: String, at start: String.Index) -> (String, String.Index)? {
        var index = template.index(after: start)
        guard index < template.endIndex, template[index] == "{" else { return nil }
        index = template.index(after: index)
        if index < template.endIndex, template[index] == "$" { index = template.index(after: index) }
        guard let close = template[index...].firstIndex(of: "}") else { return nil }
        let name = String(template[index..<close])
        guard !name.isEmpty, !name.contains(where: { $0 == "{" || $0 == "\"" || $0.isNewline }) else { return nil }
        return (name, template.index(after: close))
    }

    private static func text(of value: JSONValue, context: Context, inString: Bool) -> String {
        let plain: String
        switch value {
        case .string(let string): plain = string
        case .number(let number): plain = "\(number)"
        case .bool(let flag): plain = flag ? "true" : "false"
        case .null: plain = context == .json && !inString ? "null" : ""
        case .array, .object:
            var json = ""
            JSONText.write(value, to: &json)
            plain = json
        }
        switch context {
        case .text:
            return plain
        case .url:
            return plain.addingPercentEncoding(withAllowedCharacters: .urlUnreserved) ?? ""
        case .json:
            var json = ""
            if inString {
                JSONText.writeString(plain, to: &json)
                return String(json.dropFirst().dropLast())
            }
            if case .string = value { JSONText.writeString(plain, to: &json) } else { JSONText.write(value, to: &json) }
            return json
        }
    }
}

extension CharacterSet {
    /// RFC 3986's unreserved characters: what a URL argument keeps unescaped.
    static let urlUnreserved = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

/// A rendered webhook call: what one delivery sends.
public struct WebhookRequest: Sendable, Hashable, Codable {
    public var method: String
    public var url: String
    public var headers: [[String]]
    public var body: String

    public init(method: String, url: String, headers: [[String]], body: String) {
        (self.method, self.url, self.headers, self.body) = (method, url, headers, body)
    }
}

extension Webhook {
    /// The request a `triggerWebhook` effect with these arguments (in `params` order) makes.
    public func request(arguments: [JSONValue]) -> WebhookRequest {
        var named: [String: JSONValue] = [:]
        for (parameter, value) in zip(settings.params, arguments) { named[parameter.name] = value }
        let headers = settings.headers.compactMap(WebhookHeader.init)
        let isJSON = headers.contains { header in
            header.name.lowercased() == "content-type" && header.value.lowercased().contains("json")
        } || settings.payload.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") } ?? false
        return WebhookRequest(
            method: settings.verb.rawValue,
            url: WebhookTemplate.render(settings.url, arguments: named, context: .url),
            headers: headers.map { [$0.name, WebhookTemplate.render($0.value, arguments: named, context: .text)] },
            body: WebhookTemplate.render(settings.payload ?? "", arguments: named, context: isJSON ? .json : .text)
        )
    }
}
