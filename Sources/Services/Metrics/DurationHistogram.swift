/// A latency histogram with fixed power-of-two buckets in microseconds (≤1, ≤2, ≤4 … ≤65 536 µs, then
/// overflow): recording is a few integer operations, cheap enough for the hot path, and the text is
/// Prometheus' exposition format.
public struct DurationHistogram: Sendable {
    static let bucketCount = 18

    private var buckets = [Int](repeating: 0, count: DurationHistogram.bucketCount)
    public private(set) var count = 0
    private var totalNanoseconds = 0

    public init() {}

    public mutating func record(_ duration: Duration) {
        let nanoseconds = Int(duration.components.seconds) * 1_000_000_000
            + Int(duration.components.attoseconds / 1_000_000_000)
        var limit = 1_000
        var index = 0
        while nanoseconds > limit && index < Self.bucketCount - 1 {
            limit *= 2
            index += 1
        }
        count += 1
        totalNanoseconds += nanoseconds
        buckets[index] += 1
    }

    /// The `_bucket`, `_sum` and `_count` lines of metric `name`; `labels` is `key="value",…` or empty.
    public func prometheusLines(name: String, labels: String = "") -> [String] {
        let prefix = labels.isEmpty ? "" : labels + ","
        var lines: [String] = []
        var cumulative = 0
        var limitMicroseconds = 1
        for index in 0..<Self.bucketCount {
            cumulative += buckets[index]
            let bound = index == Self.bucketCount - 1 ? "+Inf" : "\(Double(limitMicroseconds) / 1_000_000)"
            lines.append("\(name)_bucket{\(prefix)le=\"\(bound)\"} \(cumulative)")
            limitMicroseconds *= 2
        }
        let braces = labels.isEmpty ? "" : "{\(labels)}"
        lines.append("\(name)_sum\(braces) \(Double(totalNanoseconds) / 1e9)")
        lines.append("\(name)_count\(braces) \(count)")
        return lines
    }
}
