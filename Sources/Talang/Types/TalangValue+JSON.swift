import Foundation

extension TalangValue {
    /// Reads a value from JSON text. Numbers become decimals from their text; objects become maps.
    /// Times arrive as strings (JSON has no time type); functions taking a time accept RFC 3339 strings.
    public init(jsonText: String, limits: Limits = Limits()) throws(TalangError) {
        self = try JSONParser.parse(jsonText, limits: limits)
    }

    /// Compact JSON with sorted keys (deterministic output); times as RFC 3339 strings.
    public var jsonText: String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .boolean(let value): output += value ? "true" : "false"
        case .decimal(let value): output += value.isNaN ? "null" : value.description
        case .string(let value): Self.writeString(value, to: &output)
        case .time(let value): Self.writeString(value.rfc3339, to: &output)
        case .list(let elements):
            output += "["
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output += "," }
                element.write(to: &output)
            }
            output += "]"
        case .map(let members):
            output += "{"
            for (offset, key) in members.keys.sorted().enumerated() {
                if offset > 0 { output += "," }
                Self.writeString(key, to: &output)
                output += ":"
                members[key]?.write(to: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
