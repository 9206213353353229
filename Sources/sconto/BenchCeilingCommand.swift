import ArgumentParser
import HTTPAPI
import Hummingbird
import Logging

/// `sconto bench-ceiling`: serves only the JSON work of the session endpoint, as `scripts/bench`'s
/// measure of what the framework can do on this machine.
struct BenchCeilingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ceiling", abstract: "Serve a bare JSON echo of the session endpoint (benchmark ceiling).",
        shouldDisplay: false
    )

    @Option var host = "127.0.0.1"
    @Option var port = 8081

    func run() async throws {
        var logger = Logger(label: "sconto-ceiling")
        logger.logLevel = .warning
        let app = Application(router: SContoAPI.makeCeilingRouter(),
                              configuration: .init(address: .hostname(host, port: port)), logger: logger)
        try await app.runService()
    }
}
