import ArgumentParser
import CampaignManager
import Foundation
import HTTPAPI
import Hummingbird
import Logging
import SQLiteStorage
import ServiceLifecycle
import Services
import Storage

/// `sconto serve`: opens the database, runs migrations, bootstraps the account, serves HTTP until SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the Sconto HTTP server.")

    // Every option also reads a SCONTO_* environment variable (the flag wins), so containers can be
    // configured without a command line.
    @Option(help: "Address to listen on. Env: SCONTO_HOST.") var host = setting("SCONTO_HOST", "127.0.0.1")
    @Option(help: "Port to listen on. Env: SCONTO_PORT.") var port = setting("SCONTO_PORT", 8080)
    @Option(help: ArgumentHelp(StoreURL.help))
    var database = setting("SCONTO_DATABASE", "sqlite:./sconto.sqlite")
    @Option(help: "Largest accepted request body in bytes (larger ones answer 413). Env: SCONTO_MAX_BODY_SIZE.")
    var maxBodySize = setting("SCONTO_MAX_BODY_SIZE", 1 << 20)
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. Env: SCONTO_LOG_LEVEL.")
    var logLevel = setting("SCONTO_LOG_LEVEL", "info")
    @Option(help: "Days the Integration API access log is kept. Env: SCONTO_ACCESS_LOG_RETENTION_DAYS.")
    var accessLogRetentionDays = setting("SCONTO_ACCESS_LOG_RETENTION_DAYS", 30)
    @Option(help: "Seconds a keep-alive connection may stay idle between requests. Env: SCONTO_IDLE_TIMEOUT.")
    var idleTimeout = setting("SCONTO_IDLE_TIMEOUT", 60.0)
    @Option(help: "Seconds a client has to send a request's headers. Env: SCONTO_HEADER_TIMEOUT.")
    var headerTimeout = setting("SCONTO_HEADER_TIMEOUT", 10.0)
    @Option(help: "Seconds a client has to send a request's body after its headers. Env: SCONTO_BODY_TIMEOUT.")
    var bodyTimeout = setting("SCONTO_BODY_TIMEOUT", 30.0)
    @Option(help: """
        Most open connections; more are answered 503 and closed (0: three quarters of the file-descriptor \
        limit, at most 10000). Env: SCONTO_MAX_CONNECTIONS.
        """)
    var maxConnections = setting("SCONTO_MAX_CONNECTIONS", 0)
    @Option(help: "Seconds an unused login token stays valid. Env: SCONTO_LOGIN_IDLE_TIMEOUT.")
    var loginIdleTimeout = setting("SCONTO_LOGIN_IDLE_TIMEOUT", 3600.0)
    @Option(help: "Failed logins in a row before an account must wait (429). Env: SCONTO_LOGIN_MAX_FAILURES.")
    var loginMaxFailures = setting("SCONTO_LOGIN_MAX_FAILURES", 20)
    @Option(help: """
        Failed logins from one client address before it must wait (429). \
        Env: SCONTO_LOGIN_MAX_FAILURES_PER_ADDRESS.
        """)
    var loginMaxFailuresPerAddress = setting("SCONTO_LOGIN_MAX_FAILURES_PER_ADDRESS", 100)
    @Option(help: """
        Token a Prometheus scraper sends as "Authorization: Bearer" to read /metrics; without one, /metrics \
        answers localhost only. Env: SCONTO_METRICS_TOKEN.
        """)
    var metricsToken = setting("SCONTO_METRICS_TOKEN", "")
    @Option(help: """
        Comma-separated CIDR blocks of the reverse proxies / load balancers whose X-Forwarded-For names the \
        client (for the IP allowlist, login throttling and /metrics); none by default. Env: SCONTO_TRUSTED_PROXIES.
        """)
    var trustedProxies = setting("SCONTO_TRUSTED_PROXIES", "")
    @Option(help: """
        Seconds /readyz answers 503 after SIGTERM before the server stops accepting connections, so a load \
        balancer takes the node out first. Env: SCONTO_DRAIN_DELAY.
        """)
    var drainDelay = setting("SCONTO_DRAIN_DELAY", 0.0)
    @Option(help: """
        Comma-separated hosts and CIDR blocks webhooks may call although they are loopback, private or link-local \
        (refused otherwise, when saved and before every send). Env: SCONTO_WEBHOOK_ALLOW_HOSTS.
        """)
    var webhookAllowHosts = setting("SCONTO_WEBHOOK_ALLOW_HOSTS", "")
    @Option(help: """
        Milliseconds before a failed webhook delivery's first retry (doubling per attempt, capped at 5 minutes, \
        ± 20 % jitter). Env: SCONTO_WEBHOOK_RETRY_BASE_MS.
        """)
    var webhookRetryBaseMs = setting("SCONTO_WEBHOOK_RETRY_BASE_MS", 1000)
    @Option(help: """
        SQLite durability: full (default: an acknowledged write is synced to disk and survives a power loss; \
        concurrent session commits share one sync through group commit) or normal (WAL at NORMAL: survives a \
        crash of the process, a power loss may drop the last commits). Env: SCONTO_SYNC.
        """)
    var sync = setting("SCONTO_SYNC", "full")
    @Flag(help: """
        Seed the tutorial's demo application (coupon xmas20 gives 20% off) and print its API key. \
        Env: SCONTO_DEMO=1.
        """)
    var demo = false  // ArgumentParser refuses a flag whose default is true: SCONTO_DEMO is read in run()

    func validate() throws {
        try StoreURL.validate(database)
        // A mistyped number in the environment is an error, not a silent fallback to the default.
        for name in ["SCONTO_PORT", "SCONTO_MAX_BODY_SIZE", "SCONTO_ACCESS_LOG_RETENTION_DAYS", "SCONTO_DEMO",
                     "SCONTO_MAX_CONNECTIONS", "SCONTO_LOGIN_MAX_FAILURES", "SCONTO_LOGIN_MAX_FAILURES_PER_ADDRESS",
                     "SCONTO_WEBHOOK_RETRY_BASE_MS"] {
            if let text = ProcessInfo.processInfo.environment[name], !text.isEmpty, Int(text) == nil {
                throw ValidationError("\(name) must be an integer, got \"\(text)\"")
            }
        }
        for name in ["SCONTO_IDLE_TIMEOUT", "SCONTO_HEADER_TIMEOUT", "SCONTO_BODY_TIMEOUT", "SCONTO_LOGIN_IDLE_TIMEOUT",
                     "SCONTO_DRAIN_DELAY"] {
            if let text = ProcessInfo.processInfo.environment[name], !text.isEmpty, Double(text) == nil {
                throw ValidationError("\(name) must be a number of seconds, got \"\(text)\"")
            }
        }
        guard idleTimeout > 0, headerTimeout > 0, bodyTimeout > 0, loginIdleTimeout > 0, maxConnections >= 0,
              loginMaxFailures > 0, loginMaxFailuresPerAddress > 0, drainDelay >= 0, webhookRetryBaseMs > 0
        else {
            throw ValidationError("timeouts and login limits must be positive and --max-connections at least 0")
        }
        _ = try proxyBlocks()
        guard SQLiteDurability(rawValue: sync) != nil else {
            throw ValidationError("--sync must be full or normal, got \"\(sync)\"")
        }
    }

    func run() async throws {
        var logger = Logger(label: "sconto")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let store = try await StoreURL.open(database, durability: SQLiteDurability(rawValue: sync) ?? .full, logger: logger)
        try await bootstrapAccount(store: store, logger: logger)
        if demo || setting("SCONTO_DEMO", 0) == 1 { try await DemoSeed.run(store: store, logger: logger) }

        let accessLog = AccessLogRecorder(store: store, retention: Double(accessLogRetentionDays) * 86400, logger: logger)
        let readiness = NodeReadiness()
        var apiConfiguration = APIConfiguration(
            maxBodySize: maxBodySize, loginIdleTimeout: loginIdleTimeout,
            loginThrottle: .init(maxFailuresPerAccount: loginMaxFailures, maxFailuresPerAddress: loginMaxFailuresPerAddress),
            metricsToken: metricsToken.isEmpty ? nil : metricsToken, trustedProxies: try proxyBlocks(),
            readiness: readiness
        )
        apiConfiguration.webhookPolicy = WebhookAddressPolicy(parsing: webhookAllowHosts)
        let webhookWorker = WebhookWorker(
            store: store, transport: URLSessionWebhookTransport(),
            configuration: .init(policy: apiConfiguration.webhookPolicy,
                                 retry: .init(base: .milliseconds(webhookRetryBaseMs))),
            logger: logger
        )
        let campaigns = StoredCampaignCatalog(store: store)
        let couponWorker = CouponJobWorker(store: store, logger: logger)
        let couponJobs = CouponJobs(store: store, worker: couponWorker)
        let router = SContoAPI.makeRouter(
            store: store, campaigns: campaigns, accessLog: accessLog, configuration: apiConfiguration,
            couponJobs: couponJobs
        )
        CampaignManager(store: store, configuration: apiConfiguration, couponJobs: couponJobs, campaigns: campaigns)
            .mount(on: router)
        var app = Application(
            router: router,
            server: .guardedHTTP1(connectionLimits),
            configuration: .init(address: .hostname(host, port: port), serverName: "sconto"),
            logger: logger
        )
        app.addServices(accessLog, ConfigurationWatch(store: store, logger: logger), couponWorker,
                        LoyaltyClock(store: store, logger: logger), webhookWorker)
        let node = NodeLifecycle(readiness: readiness, drainDelay: .milliseconds(Int64(drainDelay * 1000)), logger: logger) {
            try await campaigns.warm(applicationIds: try await store.allApplicationIds())
        }
        // SIGTERM/SIGINT reach the services in reverse order: `node` reports draining (for --drain-delay)
        // first, then the server stops accepting connections and lets in-flight requests finish.
        try await ServiceGroup(configuration: .init(
            services: [app, node], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        )).run()
        logger.notice("stopped")
    }

    private func proxyBlocks() throws -> [IPBlock] {
        try trustedProxies.split(separator: ",").map { text in
            guard let block = IPBlock(String(text)) else {
                throw ValidationError("--trusted-proxies: '\(text)' is not an IPv4 or IPv6 CIDR block")
            }
            return block
        }
    }

    private var connectionLimits: ConnectionLimits {
        ConnectionLimits(
            idleTimeout: .milliseconds(Int64(idleTimeout * 1000)), headerTimeout: .milliseconds(Int64(headerTimeout * 1000)),
            bodyTimeout: .milliseconds(Int64(bodyTimeout * 1000)),
            maxConnections: maxConnections > 0 ? maxConnections : ConnectionLimits.defaultMaxConnections()
        )
    }

    /// On an empty database, creates the account and its first admin user.
    private func bootstrapAccount(store: any Store, logger: Logger) async throws {
        let environment = ProcessInfo.processInfo.environment
        let email = environment["SCONTO_ADMIN_EMAIL"].flatMap { $0.isEmpty ? nil : $0 } ?? "admin@localhost"
        let givenPassword = environment["SCONTO_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        let password = givenPassword ?? Secret.generatePassword()
        let created = try await store.bootstrapAccount(
            adminEmail: email, adminName: "Admin", passwordHash: try PasswordHasher.hash(password), now: Date()
        )
        guard created else { return }
        if givenPassword == nil {
            logger.notice("created the first admin user \(email) with password: \(password) (shown once; change it)")
        } else {
            logger.notice("created the first admin user \(email) (password from SCONTO_ADMIN_PASSWORD)")
        }
    }
}

/// The value of environment variable `name`, or `fallback` when it is unset, empty or not a `T`.
private func setting<T: LosslessStringConvertible>(_ name: String, _ fallback: T) -> T {
    guard let text = ProcessInfo.processInfo.environment[name], !text.isEmpty, let value = T(text) else {
        return fallback
    }
    return value
}
