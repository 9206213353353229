/// A fragment of HTML that is safe by construction: text and attribute values are escaped when they enter,
/// and element and attribute names are `StaticString`s, so nothing a user typed can become markup.
public struct HTML: Sendable {
    public private(set) var rendered: String

    fileprivate init(rendered: String) { self.rendered = rendered }

    public static let empty = HTML(rendered: "")

    /// Text content, escaped.
    public static func text(_ text: String) -> HTML { HTML(rendered: escape(text)) }

    /// An element; `nil` attribute values are left out, `""` gives a bare boolean attribute.
    public static func element(
        _ name: StaticString, _ attributes: KeyValuePairs<StaticString, String?> = [:], children: [HTML] = []
    ) -> HTML {
        var out = "<\(name)"
        for (key, value) in attributes {
            guard let value else { continue }
            out += value.isEmpty ? " \(key)" : " \(key)=\"\(escape(value))\""
        }
        out += ">"
        if voidElements.contains(name.description) { return HTML(rendered: out) }
        for child in children { out += child.rendered }
        return HTML(rendered: out + "</\(name)>")
    }

    /// The whole document: doctype and `<html>`.
    public static func document(language: String, _ children: [HTML]) -> HTML {
        HTML(rendered: "<!DOCTYPE html>" + element("html", ["lang": language], children: children).rendered)
    }

    static func joined(_ parts: [HTML]) -> HTML { HTML(rendered: parts.map(\.rendered).joined()) }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    private static let voidElements: Set<String> = ["br", "hr", "img", "input", "link", "meta"]
}

/// Lets pages be written as nested blocks: strings become escaped text.
@resultBuilder
public enum HTMLBuilder {
    public static func buildExpression(_ html: HTML) -> HTML { html }
    public static func buildExpression(_ text: String) -> HTML { .text(text) }
    public static func buildBlock(_ parts: HTML...) -> HTML { .joined(parts) }
    public static func buildArray(_ parts: [HTML]) -> HTML { .joined(parts) }
    public static func buildOptional(_ part: HTML?) -> HTML { part ?? .empty }
    public static func buildEither(first: HTML) -> HTML { first }
    public static func buildEither(second: HTML) -> HTML { second }
}

/// `tag("p", ["class": "note"]) { "text" }`: an element with builder children.
func tag(
    _ name: StaticString, _ attributes: KeyValuePairs<StaticString, String?> = [:],
    @HTMLBuilder _ children: () -> HTML = { .empty }
) -> HTML {
    HTML.element(name, attributes, children: [children()])
}
