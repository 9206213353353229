import Foundation
import PostgresNIO
import PostgresStorage
import PromotionEngine
import Storage
import Testing

/// What only the PostgreSQL backend has: its URL, migrations shared by nodes, unique-key races across nodes.
@Suite struct PostgresBackendTests {
    static var backend: PostgresBackend? { PostgresBackend.configured }

    /// `scripts/test` sets `SCONTO_REQUIRE_POSTGRES=1` with the URL: there the backend is never silently missing.
    @Test func configuredWhenRequired() {
        let required = ProcessInfo.processInfo.environment["SCONTO_REQUIRE_POSTGRES"] == "1"
        #expect(!required || Self.backend != nil, "\(PostgresBackend.environmentKey) must name a server")
        if Self.backend == nil { print("PostgreSQL backend not configured (\(PostgresBackend.environmentKey))") }
    }

    /// Forward-only and append-only: each feature's migration comes after the ones before it.
    @Test func migrationsInOrder() {
        let names = PostgresStore.migrationNames
        // The numbers were handed out to parallel branches; the order is the order they were merged in.
        #expect(Array(names.prefix(14)) == ["v1-schema", "v2-cluster", "v3-referrals", "v4-loyalty", "v5-reservations",
                                            "v6-webhooks", "v7-giveaways", "v11-loyalty-management", "v8-achievements",
                                            "v10-catalogs", "v9-events-v3", "v14-limits", "v13-loyalty-returns",
                                            "v12-loyalty-tiers"])
        #expect(Set(names).count == names.count)
    }

    @Test func urlParsing() throws {
        let url = try PostgresConnectionURL(parsing: "postgres://sconto:s%40cret@db.example:6543/promotions?sslmode=disable")
        #expect(url == PostgresConnectionURL(host: "db.example", port: 6543, username: "sconto", password: "s@cret",
                                             database: "promotions"))
        let short = try PostgresConnectionURL(parsing: "postgresql://me@localhost/db")
        #expect(short.port == 5432 && short.password == nil && short.database == "db")
        for bad in ["postgres://localhost/db", "postgres://me@/db", "postgres://me@localhost", "mysql://me@h/db",
                    "postgres://me@h/db?sslmode=always", "postgres://me@h/db?connect_timeout=0",
                    "postgres://me@h/db?color=blue"] {
            #expect(throws: PostgresConnectionURL.Invalid.self) { try PostgresConnectionURL(parsing: bad) }
        }
    }

    @Test func tlsParameters() throws {
        let url = try PostgresConnectionURL(parsing: "postgres://me@h/db?sslmode=verify-full&sslrootcert=/ca.pem&connect_timeout=5")
        #expect(url.tls == .verifyFull && url.rootCertificatePath == "/ca.pem" && url.connectTimeout == .seconds(5))
        #expect(try PostgresConnectionURL(parsing: "postgres://me@h/db").tls == .disable)
    }

    /// `scripts/postgres` serves TLS with a self-signed certificate (`SCONTO_TEST_POSTGRES_CA`): verified against
    /// it the store connects; verified against the system's authorities it must not.
    @Test(.enabled(if: PostgresBackend.configured != nil && PostgresBackend.certificateAuthority != nil))
    func tlsVerifiesTheServersCertificate() async throws {
        let authority = try #require(PostgresBackend.certificateAuthority)
        // A fresh schema: opening a store migrates it, which must not race other tests' databases.
        let database = try #require(try await Self.backend?.makeDatabase() as? PostgresSchemaDatabase)
        var verified = database.url
        (verified.tls, verified.rootCertificatePath) = (.verifyFull, authority)
        var encrypted = database.url
        encrypted.tls = .require
        for url in [verified, encrypted] {
            let store = try await PostgresStore.open(url)
            try await store.ping()
            await store.shutdown()
        }
        var untrusted = database.url
        (untrusted.tls, untrusted.connectTimeout) = (.verifyFull, .seconds(5))
        await #expect(throws: (any Error).self) {
            let store = try await PostgresStore.open(untrusted)
            await store.shutdown()
        }
    }

    @Test(.enabled(if: PostgresBackend.configured != nil)) func threeNodesStartingTogetherMigrateOnce() async throws {
        let database = try #require(try await Self.backend?.makeDatabase() as? PostgresSchemaDatabase)
        let stores = try await withThrowingTaskGroup(of: (any Store).self) { group in
            for _ in 0..<3 { group.addTask { try await database.open() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for store in stores { try await store.ping() }
        let applied = try await PostgresBackend.withConnection(database.url) { connection, logger in
            let schema = try #require(database.url.schema)
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT name FROM \(schema).schema_migrations ORDER BY name"), logger: logger
            )
            var names: [String] = []
            for try await name in rows.decode(String.self) { names.append(name) }
            return names
        }
        #expect(applied == PostgresStore.migrationNames.sorted())
    }

    /// Two nodes create the same new session at once: one wins, the others get `sessionChanged` (re-read and
    /// re-evaluated by Services), never a database error.
    @Test(.enabled(if: PostgresBackend.configured != nil)) func creatingOneSessionOnTwoNodesIsOneWinner() async throws {
        let backend = try #require(Self.backend)
        let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
        let commits = (0..<20).map { _ in shop.close("same") }
        let passed = try await RaceConformanceTests.race(stores, commits, refused: .sessionChanged)
        #expect(passed == 1)
    }

    /// Profile updates on two nodes at once, each setting its own attribute on one new profile: none is lost.
    @Test(.enabled(if: PostgresBackend.configured != nil)) func profileAttributeMergesAcrossNodesLoseNothing() async throws {
        let backend = try #require(Self.backend)
        let (shop, stores) = try await RaceConformanceTests.twoNodes(backend)
        let count = 30
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                let store = stores[index % stores.count]
                group.addTask {
                    _ = try await store.commitProfile(ProfileCommit(
                        applicationId: shop.applicationId, integrationId: "alice",
                        attributes: ["key\(index)": .number(Decimal(index))], event: nil, now: shop.now
                    ))
                }
            }
            try await group.waitForAll()
        }
        let profile = try #require(try await shop.store.profile(applicationId: shop.applicationId, integrationId: "alice"))
        #expect(profile.attributes.count == count)
    }

    /// Listings sort text bytewise on both backends (SQLite's BINARY collation), whatever the server's locale.
    @Test(arguments: Backends.all) func namesSortBytewise(_ backend: any StoreBackend) async throws {
        let shop = try await Shop.open(try await backend.makeDatabase().open())
        for name in ["b", "B", "a", "A"] { _ = try await shop.campaign(name) }
        let page = try await shop.store.campaigns(applicationId: shop.applicationId, filter: CampaignFilter(),
                                                  page: PageRequest(sort: SortField(parsing: "name")))
        #expect(page.items.map(\.settings.name) == ["A", "B", "a", "b"])
        #expect(page.totalCount == 4)
    }
}
