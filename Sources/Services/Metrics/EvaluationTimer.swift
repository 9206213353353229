import Synchronization

/// How long the engine takes per evaluation: a histogram behind one short, uncontended lock, cheap
/// enough for the hot path.
///
/// Buckets are powers of two in microseconds (≤1, ≤2, ≤4 … ≤65 536 µs, then overflow). Exposed on
/// `GET /metrics` in Prometheus' text format.
public final class EvaluationTimer: Sendable {
    public static let shared = EvaluationTimer()
    static let bucketCount = 18

    private struct State {
        var buckets = [Int](repeating: 0, count: EvaluationTimer.bucketCount)
        var count = 0
        var totalNanoseconds = 0
    }

    private let state = Mutex(State())

    init() {}

    public func record(_ duration: Duration) {
        let nanoseconds = Int(duration.components.seconds) * 1_000_000_000 + Int(duration.components.attoseconds / 1_000_000_000)
        var limit = 1_000
        var index = 0
        while nanoseconds > limit && index < Self.bucketCount - 1 {
            limit *= 2
            index += 1
        }
        state.withLock { state in
            state.count += 1
            state.totalNanoseconds += nanoseconds
            state.buckets[index] += 1
        }
    }

    /// Prometheus text exposition of the histogram (`sconto_engine_evaluation_seconds`).
    public func prometheusText() -> String {
        var lines = ["# HELP sconto_engine_evaluation_seconds Time the rule engine takes per evaluation.",
                     "# TYPE sconto_engine_evaluation_seconds histogram"]
        let snapshot = state.withLock { $0 }
        var cumulative = 0
        var limitMicroseconds = 1
        for index in 0..<Self.bucketCount {
            cumulative += snapshot.buckets[index]
            let label = index == Self.bucketCount - 1 ? "+Inf" : "\(Double(limitMicroseconds) / 1_000_000)"
            lines.append("sconto_engine_evaluation_seconds_bucket{le=\"\(label)\"} \(cumulative)")
            limitMicroseconds *= 2
        }
        lines.append("sconto_engine_evaluation_seconds_sum \(Double(snapshot.totalNanoseconds) / 1e9)")
        lines.append("sconto_engine_evaluation_seconds_count \(snapshot.count)")
        return lines.joined(separator: "\n") + "\n"
    }
}
