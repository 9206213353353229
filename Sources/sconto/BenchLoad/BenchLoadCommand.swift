import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// `sconto bench-load`: drives the Integration API with the bench's request mix and prints one JSON line
/// (requests, rps, errors, p50/p90/p99/p99.9/max in ms). Used by `scripts/bench`.
struct BenchLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-load",
        abstract: "Open-loop load generator for scripts/bench (latency from each request's due time).",
        shouldDisplay: false
    )

    @Option(help: "Server address; several nodes as a comma list (connections are spread over them).")
    var url = "http://127.0.0.1:8080"
    @Option(help: "Integration API key.") var key = ""
    @Option(help: "A file with one coupon code per line (30 % of session updates send one).") var codes: String?
    @Option(help: "Profiles p-0 … p-(N-1) the requests name.") var profiles = 10_000
    @Option(help: "Keep-alive connections.") var connections = 32
    @Option(help: "Measured seconds.") var duration = 10.0
    @Option(help: "Seconds of warm-up before measuring.") var warmup = 2.0
    @Option(help: "Requests per second in total (open loop); 0 = closed loop, as fast as answers come.")
    var rate = 0.0
    @Option(help: "Prefix of the session ids, fresh per run so closed sessions stay closed.") var runId = "run"
    @Option(help: "Also write latency over time (per 100 ms: start_s,p50_ms,p99_ms,max_ms,count) as CSV here.")
    var timeline: String?

    func run() async throws {
        let nodes = try url.split(separator: ",").map { text in
            guard let address = URL(string: String(text)), let host = address.host, let port = address.port else {
                throw ValidationError("--url must look like http://127.0.0.1:8080[,http://127.0.0.1:8081]")
            }
            return LoadGenerator.Node(host: host, port: port)
        }
        guard !nodes.isEmpty else { throw ValidationError("--url names no node") }
        let couponCodes = try codes.map { path in
            try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
        } ?? []
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let configuration = LoadGenerator.Configuration(
            nodes: nodes, authorization: "ApiKey-v1 \(key)", connections: connections,
            rate: rate > 0 ? rate : nil, warmup: .nanoseconds(Int64(warmup * 1e9)),
            duration: .nanoseconds(Int64(duration * 1e9))
        )
        let mix = RequestMix(runId: runId, profiles: profiles, couponCodes: couponCodes,
                             seed: UInt64(truncatingIfNeeded: runId.hashValue))
        let result = try await LoadGenerator.run(configuration, mix: mix, on: group.next())
        try await group.shutdownGracefully()
        let sorted = result.sorted
        func ms(_ fraction: Double) -> String { String(format: "%.3f", LatencyRecorder.percentile(sorted, fraction)) }
        let rps = Double(result.requests) / result.seconds
        if let timeline {
            let rows = result.timeline.map { String(format: "%.1f,%.3f,%.3f,%.3f,%d", $0.start, $0.p50, $0.p99, $0.max, $0.count) }
            try (["start_s,p50_ms,p99_ms,max_ms,count"] + rows).joined(separator: "\n")
                .write(toFile: timeline, atomically: true, encoding: .utf8)
        }
        print(#"{"requests":\#(result.requests),"seconds":\#(result.seconds),"rps":\#(String(format: "%.1f", rps)),"errors":\#(result.errors),"unfinished":\#(result.unfinished),"p50_ms":\#(ms(0.5)),"p90_ms":\#(ms(0.9)),"p99_ms":\#(ms(0.99)),"p999_ms":\#(ms(0.999)),"max_ms":\#(String(format: "%.3f", Double(sorted.last ?? 0) / 1000)),"target_rps":\#(rate > 0 ? String(rate) : "null")}"#)
    }
}
