/// Where a customer session is in its life. Transitions are checked by ``SessionState/canChange(to:)``.
public enum SessionState: String, Sendable, Hashable, Codable, CaseIterable, ClosedSetDecodable {
    case open
    case closed
    case cancelled
    case partiallyReturned = "partially_returned"

    /// open → closed | cancelled; closed → cancelled | partially_returned (returns);
    /// closed → open only through the reopen endpoint, never through an update.
    public func canChange(to next: SessionState) -> Bool {
        switch (self, next) {
        case (.open, .open), (.open, .closed), (.open, .cancelled): true
        case (.closed, .cancelled), (.closed, .partiallyReturned): true
        case (.partiallyReturned, .partiallyReturned), (.partiallyReturned, .cancelled): true
        default: false
        }
    }
}
