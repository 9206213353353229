/// Latency samples of one run and the percentiles the bench reports.
///
/// Every sample is kept (a few MB at most for a bench run) and sorted once at the end: exact
/// percentiles, no histogram error.
struct LatencyRecorder {
    private(set) var microseconds: [UInt32] = []
    /// The 100 ms slice of the measured window each sample was due in (same index as `microseconds`).
    private(set) var slices: [UInt16] = []
    private(set) var errors = 0

    init(expected: Int) {
        microseconds.reserveCapacity(expected)
        slices.reserveCapacity(expected)
    }

    mutating func record(nanoseconds: Int64, dueAfterNanoseconds offset: Int64) {
        microseconds.append(UInt32(clamping: max(nanoseconds, 0) / 1000))
        slices.append(UInt16(clamping: max(offset, 0) / Self.sliceNanoseconds))
    }

    static let sliceNanoseconds: Int64 = 100_000_000

    /// Latency over time: per 100 ms slice of the window, its start (s), p50, p99 and max (ms) and its count — so a
    /// stall (a cache refresh, a checkpoint) shows as a spike at its time instead of vanishing in the percentiles.
    func timeline() -> [(start: Double, p50: Double, p99: Double, max: Double, count: Int)] {
        var bySlice: [Int: [UInt32]] = [:]
        for (latency, slice) in zip(microseconds, slices) { bySlice[Int(slice), default: []].append(latency) }
        return bySlice.keys.sorted().map { slice in
            let sorted = bySlice[slice]!.sorted()
            return (Double(slice) * Double(Self.sliceNanoseconds) / 1e9, Self.percentile(sorted, 0.5),
                    Self.percentile(sorted, 0.99), Double(sorted.last ?? 0) / 1000, sorted.count)
        }
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
