import Foundation

/// A regular expression for `~`, screened against catastrophic backtracking.
///
/// The matcher backtracks and has no time limit, so patterns that can take exponential time are
/// refused up front: a repeated group that itself contains repetition (`(a+)+`, `(a|aa)*`) and
/// back-references. Patterns are also bounded in length.
struct SafeRegex {
    static let maxPatternLength = 512
    private let expression: NSRegularExpression

    init(_ pattern: String) throws(TalangFailure) {
        guard pattern.utf8.count <= Self.maxPatternLength else {
            throw TalangFailure("the pattern is longer than \(Self.maxPatternLength) bytes")
        }
        try Self.screen(pattern)
        do {
            expression = try NSRegularExpression(pattern: pattern)
        } catch {
            throw TalangFailure("invalid regular expression \"\(pattern)\"")
        }
    }

    /// Longest text matched; longer text is an error (polynomial patterns like `.*.*.*x` stay cheap).
    static let maxTextLength = 10_000

    func matches(_ text: String) throws(TalangFailure) -> Bool {
        guard text.utf8.count <= Self.maxTextLength else {
            throw TalangFailure("~ matches text of at most \(Self.maxTextLength) bytes")
        }
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    private static func screen(_ pattern: String) throws(TalangFailure) {
        let characters = Array(pattern)
        // For every open group: whether it contains repetition or alternation.
        var groups: [Bool] = []
        var index = 0
        var inClass = false
        while index < characters.count {
            let character = characters[index]
            if character == "\\" {
                if index + 1 < characters.count, characters[index + 1].isNumber {
                    throw TalangFailure("back-references are not supported")
                }
                index += 2
                continue
            }
            if inClass {
                if character == "]" { inClass = false }
                index += 1
                continue
            }
            switch character {
            case "[": inClass = true
            case "(": groups.append(false)
            case ")":
                let repeatedInside = groups.popLast() ?? false
                let next = index + 1 < characters.count ? characters[index + 1] : " "
                if repeatedInside && (next == "*" || next == "+" || next == "{") {
                    throw TalangFailure("nested repetition like (a+)+ is not supported")
                }
                if repeatedInside, !groups.isEmpty { groups[groups.count - 1] = true }
            case "*", "+", "{", "|":
                if !groups.isEmpty { groups[groups.count - 1] = true }
            default: break
            }
            index += 1
        }
    }
}
