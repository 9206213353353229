extension TalangType {
    /// The most precise type of a value: maps become closed objects of their fields, lists the join
    /// of their items (`list<any>` when mixed or empty). For bindings known only by example (the CLI).
    public static func inferred(from value: TalangValue) -> TalangType {
        switch value {
        case .null: return .any
        case .boolean: return .boolean
        case .decimal: return .decimal
        case .string: return .string
        case .time: return .time
        case .list(let elements):
            guard let first = elements.first else { return .list(.any) }
            return .list(elements.dropFirst().reduce(inferred(from: first)) { TypeBindings.join($0, inferred(from: $1)) })
        case .map(let members):
            return .object(members.mapValues(inferred(from:)))
        }
    }
}

extension TalangValue {
    /// The value with every string that is a full RFC 3339 timestamp turned into a time
    /// (JSON has no time type; data read from JSON carries times as strings).
    public var readingTimes: TalangValue {
        switch self {
        case .string(let text) where text.utf8.count >= 20 && text.contains("T"):
            return TalangTime(rfc3339: text).map { .time($0) } ?? self
        case .list(let elements): return .list(elements.map(\.readingTimes))
        case .map(let members): return .map(members.mapValues(\.readingTimes))
        default: return self
        }
    }
}
