/// Integration ids chosen by the shop (sessions, profiles) are stored and shown in logs and CSV files:
/// control characters (CR, LF, NUL…) in them are refused, never stored.
enum Identifier {
    static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// A path parameter id: 1 to 1000 characters, none of them control characters.
    static func parameter(_ text: String?, name: String) throws -> String {
        guard let text, !text.isEmpty, text.count <= 1000 else {
            throw APIError.badParameter(name, "must be 1 to 1000 characters")
        }
        if hasControlCharacters(text) { throw APIError.badParameter(name, "must not contain control characters") }
        return text
    }

    /// An id in a body, at `pointer`.
    static func field(_ text: String?, pointer: String) throws {
        if let text, hasControlCharacters(text) {
            throw APIError.badRequest(pointer: pointer, "must not contain control characters")
        }
    }
}
