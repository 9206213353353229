import Synchronization

/// How long the engine takes per evaluation: a histogram behind one short lock, exposed on `GET /metrics`.
public final class EvaluationTimer: Sendable {
    public static let shared = EvaluationTimer()

    private let histogram = Mutex(DurationHistogram())

    init() {}

    public func record(_ duration: Duration) {
        histogram.withLock { $0.record(duration) }
    }

    /// Prometheus text exposition of the histogram (`sconto_engine_evaluation_seconds`).
    public func prometheusText() -> String {
        let snapshot = histogram.withLock { $0 }
        let lines = ["# HELP sconto_engine_evaluation_seconds Time the rule engine takes per evaluation.",
                     "# TYPE sconto_engine_evaluation_seconds histogram"]
            + snapshot.prometheusLines(name: "sconto_engine_evaluation_seconds")
        return lines.joined(separator: "\n") + "\n"
    }
}
