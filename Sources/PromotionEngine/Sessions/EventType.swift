/// The type of a stored event: the ones Sconto records itself (`talon_…`, as Talon.One names them) or a
/// shop's custom event type (`POST /v2/events`).
public enum EventType: Sendable, Hashable, RawRepresentable {
    case sessionUpdated, sessionClosed, sessionCancelled, sessionReopened, sessionPartiallyReturned
    case profileUpdated
    case custom(String)

    public init(rawValue: String) {
        self = switch rawValue {
        case "talon_session_updated": .sessionUpdated
        case "talon_session_closed": .sessionClosed
        case "talon_session_cancelled": .sessionCancelled
        case "talon_session_reopened": .sessionReopened
        case "talon_session_partially_returned": .sessionPartiallyReturned
        case "talon_profile_updated": .profileUpdated
        default: .custom(rawValue)
        }
    }

    // (A switch, not a table lookup: RawRepresentable's `==` compares raw values, so comparing cases here
    // would recurse.)
    public var rawValue: String {
        switch self {
        case .sessionUpdated: "talon_session_updated"
        case .sessionClosed: "talon_session_closed"
        case .sessionCancelled: "talon_session_cancelled"
        case .sessionReopened: "talon_session_reopened"
        case .sessionPartiallyReturned: "talon_session_partially_returned"
        case .profileUpdated: "talon_profile_updated"
        case .custom(let name): name
        }
    }
}
