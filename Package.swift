// swift-tools-version: 6.2
import PackageDescription

// Layers, from the bottom up (see docs/ARCHITECTURE.md):
//   Talang          the rule language: parse → check → compile → evaluate. No dependencies.
//   PromotionEngine the pure domain: applications, campaigns, sessions, effects, the rule engine; it
//                   registers its functions and bindings (couponValid, setDiscount, Session…) into Talang.
//   Storage         the backend-neutral async storage interface and account primitives.
//   SQLiteStorage   Storage on GRDB (embedded SQLite).
//   PostgresStorage Storage on PostgreSQL through postgres-nio's connection pool.
//   Services        use cases over storage + engine: load, evaluate, commit, retry; per-session queues.
//   HTTPAPI         Hummingbird routes: decode, call the layers below, encode. Talon.One's wire shapes.
//   CampaignManager the web UI at `/`: server-rendered pages over the same services, mounted beside the API.
//   sconto          the executable: argument parsing, service lifecycle.
//   ScontoClient    a Swift client for Sconto's API, generated from its /openapi.json (scripts/generate-client).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "sconto",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sconto", targets: ["sconto"]),
        .library(name: "Talang", targets: ["Talang"]),
        .library(name: "PromotionEngine", targets: ["PromotionEngine"]),
        .library(name: "ScontoClient", targets: ["ScontoClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),  // PostgreSQL over TLS
        // ScontoClient's generated code runs on these; the generator itself is built only by scripts/generate-client.
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .target(name: "Talang", swiftSettings: strictSettings),
        .target(name: "PromotionEngine", dependencies: ["Talang"], swiftSettings: strictSettings),
        .target(
            name: "Storage",
            dependencies: [
                "PromotionEngine",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SQLiteStorage",
            dependencies: ["Storage", "PromotionEngine", "Talang", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PostgresStorage",
            dependencies: [
                "Storage", "PromotionEngine",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Services",
            dependencies: [
                "PromotionEngine", "Storage",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "HTTPAPI",
            dependencies: [
                "PromotionEngine", "Storage", "Services",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The Campaign Manager web UI, mounted at `/` by `sconto serve`; pages over the same services as the API.
        .target(
            name: "CampaignManager",
            dependencies: [
                "PromotionEngine", "Storage", "Services", "HTTPAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "sconto",
            dependencies: [
                "Talang", "PromotionEngine", "Storage", "SQLiteStorage", "PostgresStorage", "Services", "HTTPAPI", "CampaignManager",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // The benchmark's load generator (`sconto bench-load`) speaks HTTP/1.1 on SwiftNIO directly.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ScontoClient",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            // The document and the generator's settings it was generated from (inputs, not resources).
            exclude: ["openapi.json", "openapi-generator-config.yaml"],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "EngineBenchmarks", dependencies: ["PromotionEngine"], path: "Benchmarks/EngineBenchmarks", swiftSettings: strictSettings),
        .executableTarget(name: "TalangBenchmarks", dependencies: ["Talang"], path: "Benchmarks/TalangBenchmarks", swiftSettings: strictSettings),
        .executableTarget(
            name: "StoredDocumentBenchmarks", dependencies: ["Storage", "PromotionEngine"],
            path: "Benchmarks/StoredDocumentBenchmarks", swiftSettings: strictSettings
        ),
        .testTarget(name: "TalangTests", dependencies: ["Talang"], resources: [.copy("Vectors")], swiftSettings: strictSettings),
        .testTarget(name: "PromotionEngineTests", dependencies: ["PromotionEngine", "Talang"], swiftSettings: strictSettings),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage", "SQLiteStorage", "PromotionEngine", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StorageConformanceTests",
            dependencies: [
                "Storage", "SQLiteStorage", "PostgresStorage", "PromotionEngine",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ServicesTests",
            dependencies: ["Services", "Storage", "SQLiteStorage", "PromotionEngine"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CampaignManagerTests", dependencies: ["CampaignManager", "PromotionEngine", "Storage"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HTTPAPITests",
            dependencies: [
                "HTTPAPI", "Storage", "SQLiteStorage", "PromotionEngine",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ScontoClientTests",
            dependencies: [
                "ScontoClient", "HTTPAPI", "Services", "Storage", "SQLiteStorage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
