import Storage
import Foundation
import Services

/// Settings of the HTTP layer that an operator may change.
public struct APIConfiguration: Sendable {
    /// Request bodies beyond this many bytes answer 413.
    public var maxBodySize: Int
    /// How long a Management API login token stays valid (Talon.One: three months).
    public var loginLifetime: TimeInterval
    /// A login token unused for this long expires (each use moves the deadline).
    public var loginIdleTimeout: TimeInterval
    /// When failed logins make a caller wait (429).
    public var loginThrottle: LoginThrottle.Policy
    /// When set, `GET /metrics` requires `Authorization: Bearer <token>`; otherwise it answers localhost only.
    public var metricsToken: String?
    /// Proxies whose `X-Forwarded-For` names the client (``ClientAddressMiddleware``); none by default.
    public var trustedProxies: [IPBlock]
    /// What `GET /readyz` reports; nil (in-process tests): ready whenever the database answers.
    public var readiness: NodeReadiness?
    /// The SSRF guard webhook URLs must pass when saved (the worker checks again before every send).
    public var webhookPolicy = WebhookAddressPolicy()

    public init(maxBodySize: Int = 1 << 20, loginLifetime: TimeInterval = 90 * 24 * 3600,
                loginIdleTimeout: TimeInterval = 3600, loginThrottle: LoginThrottle.Policy = .init(),
                metricsToken: String? = nil, trustedProxies: [IPBlock] = [], readiness: NodeReadiness? = nil) {
        self.metricsToken = metricsToken
        self.trustedProxies = trustedProxies
        self.readiness = readiness
        self.maxBodySize = maxBodySize
        self.loginLifetime = loginLifetime
        self.loginIdleTimeout = loginIdleTimeout
        self.loginThrottle = loginThrottle
    }

    /// The expiry of a login used at `now`: the idle deadline, never past the login's whole lifetime.
    func loginExpiry(created: Date, now: Date) -> Date {
        min(now.addingTimeInterval(loginIdleTimeout), created.addingTimeInterval(loginLifetime))
    }
}
