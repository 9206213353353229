/// A custom event the shop reports (`POST /v2/events`), visible to rules as `Event`.
public struct CustomEvent: Sendable, Hashable {
    public var type: String
    public var attributes: [String: JSONValue]

    public init(type: String, attributes: [String: JSONValue] = [:]) {
        self.type = type
        self.attributes = attributes
    }

    /// Names Talon.One reserves for its built-in events.
    public static func isReserved(_ type: String) -> Bool { type.hasPrefix("talon_") }
}
