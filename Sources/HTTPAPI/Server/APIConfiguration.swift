import Foundation

/// Settings of the HTTP layer that an operator may change.
public struct APIConfiguration: Sendable {
    /// Request bodies beyond this many bytes answer 413.
    public var maxBodySize: Int
    /// How long a Management API login token stays valid (Talon.One: three months).
    public var loginLifetime: TimeInterval

    public init(maxBodySize: Int = 1 << 20, loginLifetime: TimeInterval = 90 * 24 * 3600) {
        self.maxBodySize = maxBodySize
        self.loginLifetime = loginLifetime
    }
}
