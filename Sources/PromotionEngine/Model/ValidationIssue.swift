/// One problem with a value a client sent, located by a JSON pointer into the request body.
///
/// The HTTP layer turns a list of these into Talon.One's `ErrorResponseWithStatus` (400).
public struct ValidationIssue: Sendable, Hashable, Error, CustomStringConvertible {
    /// RFC 6901 pointer to the offending field, e.g. `/customerSession/cartItems/0/quantity`.
    public var pointer: String
    public var message: String

    public init(pointer: String, message: String) {
        self.pointer = pointer
        self.message = message
    }

    public var description: String { "\(pointer): \(message)" }
}

/// Several validation issues found in one request; thrown so that all are reported at once.
public struct ValidationFailure: Error, Sendable {
    public var issues: [ValidationIssue]
    public init(_ issues: [ValidationIssue]) { self.issues = issues }
}
