import Foundation

/// One linear pass over a JSON body that finds a value nested too deep, before any decoder sees it.
///
/// Decoding cost grows with depth (every level's errors carry the whole path), so a 1 KB body nested 500
/// deep is refused here, in microseconds, naming where it went too deep.
enum JSONDepth {
    private enum Frame {
        case object(key: [UInt8], expectingKey: Bool)
        case array(index: Int)
    }

    /// The JSON pointer of the first object or array nested deeper than `limit`, or nil.
    static func firstTooDeep(_ bytes: some Sequence<UInt8>, limit: Int) -> String? {
        var stack: [Frame] = []
        var inString = false
        var escaped = false
        var key: [UInt8]? = nil  // collecting an object key
        for byte in bytes {
            if inString {
                if escaped { escaped = false; key?.append(byte); continue }
                switch byte {
                case UInt8(ascii: "\\"): escaped = true; key?.append(byte)
                case UInt8(ascii: "\""):
                    inString = false
                    if let collected = key, case .object = stack.last { stack[stack.count - 1] = .object(key: collected, expectingKey: false) }
                    key = nil
                default: key?.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                if case .object(_, true) = stack.last { key = [] }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if stack.count >= limit { return pointer(stack) }
                stack.append(byte == UInt8(ascii: "{") ? .object(key: [], expectingKey: true) : .array(index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ","):
                switch stack.last {
                case .array(let index): stack[stack.count - 1] = .array(index: index + 1)
                case .object: stack[stack.count - 1] = .object(key: [], expectingKey: true)
                case nil: break
                }
            default:
                break
            }
        }
        return nil
    }

    private static func pointer(_ stack: [Frame]) -> String {
        stack.map { frame in
            switch frame {
            case .array(let index): "/\(index)"
            case .object(let key, _):
                "/" + String(decoding: key, as: UTF8.self)
                    .replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            }
        }.joined()
    }
}
