import Foundation
import HTTPAPI
import Hummingbird
import Services
import Storage

/// The Campaign Manager: server-rendered pages for marketers, served by `sconto` at `/` next to the API.
/// Pages call the same storage and services as the Management API and check rules with the same checker.
public struct CampaignManager: Sendable {
    let store: any Store
    let configuration: APIConfiguration
    let login: ManagerLogin
    let couponJobs: CouponJobs
    let allowlist: IPAllowlist
    let campaigns: StoredCampaignCatalog

    public init(store: any Store, configuration: APIConfiguration = .init(), couponJobs: CouponJobs? = nil,
                campaigns: StoredCampaignCatalog? = nil)
    {
        self.store = store
        self.couponJobs = couponJobs ?? CouponJobs(store: store)
        self.configuration = configuration
        allowlist = IPAllowlist(store: store)
        login = ManagerLogin(store: store, lifetime: configuration.loginLifetime,
                             throttle: LoginThrottle(policy: configuration.loginThrottle), allowlist: allowlist)
        // The server's catalog when given, so Try it shares the compiled lineups the API uses.
        self.campaigns = campaigns ?? StoredCampaignCatalog(store: store)
    }

    /// Adds the pages to the API's router (paths outside `/v1`, `/v2`, `/healthz`, `/metrics`, `/openapi.json`).
    public func mount(on router: Router<SContoRequestContext>) {
        router.get("/") { request, _ in
            Response.redirect(to: request.cookies[ManagerLogin.sessionCookie] == nil ? "/login" : "/applications")
        }
        router.get("/assets/:file") { _, context in try Self.asset(context.parameters.get("file") ?? "") }
        LoginPageRoutes(login: login, maxBodySize: configuration.maxBodySize).register(on: router)
        let pages = router.group().add(middleware: ManagerGuard(
            login: login, maxBodySize: configuration.maxBodySize, allowlist: allowlist
        ))
        pages.post("/logout") { request, context in
            try await login.logOut(Pages.user(request, context))
            var response = Response.redirect(to: "/login")
            response.setCookie(Cookie(name: ManagerLogin.sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true))
            return response
        }
        ApplicationPageRoutes(store: store, maxBodySize: configuration.maxBodySize).register(on: pages)
        CampaignPageRoutes(store: store, jobs: couponJobs, maxBodySize: configuration.maxBodySize)
            .register(on: pages)
        AttributePageRoutes(store: store, maxBodySize: configuration.maxBodySize).register(on: pages)
        ManagementKeyPageRoutes(store: store, maxBodySize: configuration.maxBodySize).register(on: pages)
        CampaignEditRoutes(store: store, maxBodySize: configuration.maxBodySize).register(on: pages)
        CouponPageRoutes(store: store, maxBodySize: configuration.maxBodySize).register(on: pages)
        TryItRoutes(store: store, campaigns: campaigns).register(on: pages, maxBodySize: configuration.maxBodySize)
        CustomerPageRoutes(store: store).register(on: pages)
        LogPageRoutes(store: store).register(on: pages)
        AnalyticsPageRoutes(store: store).register(on: pages)
        AudiencePageRoutes(store: store, maxBodySize: configuration.maxBodySize).register(on: pages)
        CollectionPageRoutes(store: store, maxBodySize: configuration.maxBodySize).register(on: pages)
        LoyaltyPageRoutes(store: store, maxBodySize: configuration.maxBodySize).register(on: pages)
        WebhookPageRoutes(store: store, policy: configuration.webhookPolicy, maxBodySize: configuration.maxBodySize)
            .register(on: pages)
        ReferralPageRoutes(store: store, maxBodySize: configuration.maxBodySize).register(on: pages)
    }

    private static func asset(_ file: String) throws -> Response {
        let (source, type): (StaticString, String) = switch "/assets/" + file {
        case Assets.stylesheetPath: (Assets.stylesheet, "text/css; charset=utf-8")
        case Assets.scriptPath: (Assets.script, "text/javascript; charset=utf-8")
        default: throw HTTPError(.notFound)
        }
        // The name changes with the content, so the browser may keep it for good.
        return Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "public, max-age=31536000, immutable"],
            body: .init(byteBuffer: ByteBuffer(string: source.description))
        )
    }
}

/// `GET /login`, `POST /login`: the login form with a double-submitted CSRF cookie (there is no session yet).
struct LoginPageRoutes: Sendable {
    let login: ManagerLogin
    let maxBodySize: Int

    func register(on router: Router<SContoRequestContext>) {
        router.get("/login") { _, _ in Self.form(email: "", failed: false) }
        router.post("/login") { request, context in
            var request = request
            let form = try await Pages.form(&request, limit: maxBodySize)
            guard let expected = request.cookies[ManagerLogin.loginCookie]?.value,
                  ManagerLogin.matches(form["csrf"], expected)
            else { return Pages.forbidden("This login form has expired. Reload the page and try again.") }
            let outcome = try await login.logIn(email: form.text("email"), password: form["password"] ?? "",
                                                address: context.clientAddress ?? "unknown")
            let token: String
            switch outcome {
            case .loggedIn(let issued): token = issued
            case .refused: return Self.form(email: form.text("email"), failed: true)
            case .outsideAllowlist: return Pages.forbidden("Your address is not in this account's IP allowlist.")
            case .throttled(let wait):
                var response = Self.form(email: form.text("email"), failed: true)
                response.status = .tooManyRequests
                response.headers[.retryAfter] = String(Int(wait.rounded(.up)))
                return response
            }
            var response = Response.redirect(to: "/applications")
            response.setCookie(Cookie(
                name: ManagerLogin.sessionCookie, value: token, path: "/",
                secure: Self.overTLS(request), httpOnly: true, sameSite: .lax
            ))
            response.setCookie(Cookie(name: ManagerLogin.loginCookie, value: "", maxAge: 0, path: "/login", httpOnly: true))
            return response
        }
    }

    private static func form(email: String, failed: Bool) -> Response {
        let csrf = Secret.generate()
        var response = Pages.html(LoginPage.render(csrf: csrf, email: email, failed: failed),
                                  status: failed ? .unauthorized : .ok)
        response.setCookie(Cookie(
            name: ManagerLogin.loginCookie, value: csrf, path: "/login", httpOnly: true, sameSite: .lax
        ))
        return response
    }

    /// `sconto serve` speaks plain HTTP; a request that still arrived as `https` (a TLS-terminating server
    /// in front that keeps the scheme) gets a Secure cookie.
    private static func overTLS(_ request: Request) -> Bool {
        request.head.scheme?.lowercased() == "https"
    }
}
