// swift-tools-version: 6.2
import PackageDescription

// Only a host for apple/swift-openapi-generator's command, so `scripts/generate-client` can regenerate
// Sources/ScontoClient/Generated without the main package building the generator (or its plugin) in CI.
let package = Package(
    name: "GenerateScontoClient",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator.git", exact: "1.14.3"),
    ]
)
