import Hummingbird
import Services
import Storage

/// Builds Sconto's HTTP API: the Management API, the Integration API and the health check.
public enum SContoAPI {
    public static func makeRouter(
        store: any Store, campaigns: any CampaignCatalog = StaticCampaignCatalog(),
        accessLog: AccessLogRecorder? = nil, configuration: APIConfiguration = .init(),
        metrics: RequestMetrics = RequestMetrics(), couponJobs: CouponJobs? = nil
    ) -> Router<SContoRequestContext> {
        let router = Router(context: SContoRequestContext.self)
        let table = RouteTable()
        // Router-wide middleware wraps only routes added after it: add it first, outermost first, so
        // every request is counted with its final status and every error, including the
        // authentication's, is shaped by ErrorMiddleware.
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware(routes: table))
        router.add(middleware: ClientAddressMiddleware(trustedProxies: configuration.trustedProxies))
        router.add(middleware: BodySizeLimitMiddleware(limit: configuration.maxBodySize))
        router.add(middleware: AuthenticationMiddleware(store: store, configuration: configuration))
        let allowlist = IPAllowlist(store: store)
        router.add(middleware: IPAllowlistMiddleware(allowlist: allowlist))

        let open = RouteRegistrar(group: router.group(), table: table)
        HealthRoutes(store: store, metrics: metrics, configuration: configuration).register(on: open)
        let login = LoginRoutes(store: store, configuration: configuration, allowlist: allowlist)
        login.registerLogin(on: open)

        let management = RouteRegistrar(
            group: router.group().add(middleware: RequireManagementAccess()), table: table
        )
        login.registerLogout(on: management)
        ManagementKeyRoutes(store: store, configuration: configuration).register(on: management)
        IPAllowlistRoutes(store: store, configuration: configuration).register(on: management)
        ApplicationRoutes(store: store, configuration: configuration).register(on: management)
        IntegrationKeyRoutes(store: store, configuration: configuration).register(on: management)
        AccessLogRoutes(store: store).register(on: management)
        CustomerDataRoutes(store: store).register(on: management)
        CampaignRoutes(store: store, configuration: configuration).register(on: management)
        CouponRoutes(store: store, jobs: couponJobs ?? CouponJobs(store: store), configuration: configuration).register(on: management)
        AttributeRoutes(store: store, configuration: configuration).register(on: management)
        CampaignGroupRoutes(store: store, configuration: configuration).register(on: management)
        CampaignTemplateRoutes(store: store, configuration: configuration).register(on: management)
        AdditionalCostRoutes(store: store, configuration: configuration).register(on: management)
        CampaignSetRoutes(store: store, configuration: configuration).register(on: management)
        AnalyticsRoutes(store: store).register(on: management)
        ExportRoutes(store: store).register(on: management)
        CustomerActivityRoutes(store: store).register(on: management)
        LoyaltyProgramRoutes(store: store, configuration: configuration).register(on: management)
        LoyaltyImportRoutes(store: store, configuration: configuration).register(on: management)
        LoyaltyLedgerRoutes(store: store).register(on: management)
        LoyaltyExportRoutes(store: store).register(on: management)
        LoyaltyMembershipRoutes(store: store, configuration: configuration).register(on: management)
        LoyaltyCardManagementRoutes(store: store, configuration: configuration).register(on: management)
        let referrals = ReferralRoutes(store: store, configuration: configuration)
        referrals.registerManagement(on: management)
        let audiences = AudienceRoutes(store: store, configuration: configuration)
        audiences.registerManagement(on: management)
        AudienceFileRoutes(store: store, configuration: configuration).register(on: management)
        CollectionRoutes(store: store, configuration: configuration).register(on: management)
        WebhookRoutes(store: store, configuration: configuration).register(on: management)
        GiveawayRoutes(store: store, configuration: configuration).register(on: management)
        AchievementRoutes(store: store, configuration: configuration).register(on: management)
        let catalogs = CatalogRoutes(store: store, configuration: configuration)
        catalogs.registerManagement(on: management)

        var integrationGroup = router.group().add(middleware: RequireIntegrationKey())
        if let accessLog {
            integrationGroup = integrationGroup.add(
                middleware: AccessLogMiddleware(recorder: accessLog, maxBodySize: configuration.maxBodySize)
            )
        }
        let integration = RouteRegistrar(group: integrationGroup, table: table)
        let queue = RequestQueue()
        let attributes = AttributeCatalogCache(store: store)
        let sessions = CustomerSessionService(store: store, campaigns: campaigns, queue: queue, attributes: attributes)
        let profiles = ProfileService(store: store, campaigns: campaigns, queue: queue, attributes: attributes)
        CustomerSessionRoutes(store: store, applications: FreshCache(), sessions: sessions, configuration: configuration)
            .register(on: integration)
        CustomerProfileRoutes(store: store, profiles: profiles, configuration: configuration, accessLog: accessLog).register(on: integration)
        LoyaltyRoutes(store: store).register(on: integration)
        LoyaltyCardRoutes(store: store, configuration: configuration).register(on: integration)
        referrals.registerIntegration(on: integration)
        InventoryRoutes(store: store).register(on: integration)
        CustomerAchievementRoutes(store: store).register(on: integration)
        CouponReservationRoutes(store: store, configuration: configuration).register(on: integration)
        audiences.registerIntegration(on: integration)
        catalogs.registerIntegration(on: integration)
        // Rendered from the table at request time, when every route above is in it.
        open.on(.get, "/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: try OpenAPIDocument.render(routes: table.all)))
        }
        return router
    }
}
