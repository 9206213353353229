/// Latency samples of one run and the percentiles the bench reports.
///
/// Every sample is kept (a few MB at most for a bench run) and sorted once at the end: exact
/// percentiles, no histogram error.
struct LatencyRecorder {
    private(set) var microseconds: [UInt32] = []
    private(set) var errors = 0

    init(expected: Int) { microseconds.reserveCapacity(expected) }

    mutating func record(nanoseconds: Int64) {
        microseconds.append(UInt32(clamping: max(nanoseconds, 0) / 1000))
    }

    mutating func recordError() { errors += 1 }

    /// The value below which `fraction` of the samples fall (nearest rank), in milliseconds.
    static func percentile(_ sorted: [UInt32], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        // The epsilon keeps 0.999 × 1000 (= 999.0000000000001 in binary) at rank 999, not 1000.
        let rank = Int((fraction * Double(sorted.count) - 1e-9).rounded(.up))
        return Double(sorted[min(max(rank, 1), sorted.count) - 1]) / 1000
    }
}
