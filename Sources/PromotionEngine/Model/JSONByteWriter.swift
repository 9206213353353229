import Foundation

/// A direct JSON writer for the documents Sconto stores on every request (the session, the profile's attributes),
/// appending UTF-8 to one buffer.
///
/// It writes the bytes Foundation's `JSONEncoder` with `.sortedKeys` writes for the same values, so stored text
/// does not depend on which of the two wrote it: keys sorted by their UTF-8 bytes, `/` escaped as `\/`, control
/// characters as `\b \f \n \r \t` or `\u00xx`, decimals as their `description`.
public struct JSONByteWriter {
    public private(set) var bytes: [UInt8] = []
    /// Just after `{` or `[`: the next member or element needs no comma.
    private var afterOpening = false

    public init(capacity: Int) { bytes.reserveCapacity(capacity) }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }

    public mutating func endObject() { close(UInt8(ascii: "}")) }

    public mutating func beginArray() { open(UInt8(ascii: "[")) }

    public mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        afterOpening = true
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        afterOpening = false
    }

    /// A member's key that is a field name: plain ASCII needing no escape. Its value follows.
    public mutating func field(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func key(_ name: String) {
        separate()
        write(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Before an array's element.
    public mutating func element() { separate() }

    private mutating func separate() {
        if afterOpening { afterOpening = false } else { bytes.append(UInt8(ascii: ",")) }
    }

    public mutating func write(_ flag: Bool) {
        if flag {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"),
                                      UInt8(ascii: "e")])
        }
    }

    public mutating func write(_ number: Int) {
        bytes.append(contentsOf: String(number).utf8)
    }

    public mutating func write(_ number: Decimal) { DecimalText.write(number, to: &bytes) }

    public mutating func write(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var plainStart = string.utf8.startIndex
        var index = plainStart
        let utf8 = string.utf8
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/") || byte < 0x20 {
                bytes.append(contentsOf: utf8[plainStart..<index])
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x00..<0x20:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              Self.hexDigit(byte >> 4), Self.hexDigit(byte & 0x0F)])
                default: bytes.append(byte)
                }
                plainStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        bytes.append(contentsOf: utf8[plainStart..<utf8.endIndex])
        bytes.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
        case .bool(let flag): write(flag)
        case .number(let number): write(number)
        case .string(let string): write(string)
        case .array(let items):
            beginArray()
            for item in items {
                element()
                write(item)
            }
            endArray()
        case .object(let members): write(members)
        }
    }

    public mutating func write(_ members: [String: JSONValue]) {
        write(members) { writer, value in writer.write(value) }
    }

    /// An object with `members` in `JSONEncoder`'s sorted order (by UTF-8 bytes), each value written by `value`.
    public mutating func write<Value>(_ members: [String: Value], value: (inout JSONByteWriter, Value) -> Void) {
        beginObject()
        if members.count == 1, let only = members.first {
            key(only.key)
            value(&self, only.value)
        } else {
            for (name, member) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                key(name)
                value(&self, member)
            }
        }
        endObject()
    }

    public mutating func write<Element>(_ elements: [Element],
                                        element writeElement: (inout JSONByteWriter, Element) -> Void)
    {
        beginArray()
        for item in elements {
            element()
            writeElement(&self, item)
        }
        endArray()
    }
}
