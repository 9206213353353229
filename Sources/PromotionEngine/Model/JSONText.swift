import Foundation

/// A direct JSON writer for what the hot path stores on every session update (its effects).
///
/// Foundation's `JSONEncoder` goes through generic keyed containers and costs several microseconds per
/// effect; this writes the same document (`JSONDecoder` reads it back into equal values) in one pass.
/// Numbers are decimals written in their exact text form, never through binary floating point.
public enum JSONText {
    public static func effects(_ effects: [Effect]) -> String {
        var text = "["
        text.reserveCapacity(effects.count * 160 + 2)
        for (index, effect) in effects.enumerated() {
            if index > 0 { text += "," }
            write(effect, to: &text)
        }
        text += "]"
        return text
    }

    static func write(_ effect: Effect, to text: inout String) {
        text += #"{"campaignId":"#
        text += String(effect.campaignId)
        text += #","effectType":"#
        writeString(effect.type.rawValue, to: &text)
        text += #","props":"#
        write(.object(effect.kind.props), to: &text)
        text += #","ruleIndex":"#
        text += String(effect.ruleIndex)
        text += #","ruleName":"#
        writeString(effect.ruleName, to: &text)
        text += #","rulesetId":"#
        text += String(effect.rulesetId)
        if let coupon = effect.triggeredByCoupon {
            text += #","triggeredByCoupon":"#
            text += String(coupon)
        }
        text += "}"
    }

    public static func write(_ value: JSONValue, to text: inout String) {
        switch value {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .number(let number): text += number.description
        case .string(let string): writeString(string, to: &text)
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                write(item, to: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            // Sorted, as the stored documents written by JSONEncoder(.sortedKeys) are: equal values, equal text.
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                writeString(key, to: &text)
                text += ":"
                write(members[key]!, to: &text)
            }
            text += "}"
        }
    }

    public static func writeString(_ string: String, to text: inout String) {
        text += "\""
        var plainStart = string.utf8.startIndex
        let utf8 = string.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x22 || byte == 0x5C || byte < 0x20 {
                text += String(string[plainStart..<index])
                switch byte {
                case 0x22: text += "\\\""
                case 0x5C: text += "\\\\"
                case 0x0A: text += "\\n"
                case 0x0D: text += "\\r"
                case 0x09: text += "\\t"
                default:
                    let hex = String(byte, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
                plainStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        text += String(string[plainStart..<utf8.endIndex])
        text += "\""
    }
}
