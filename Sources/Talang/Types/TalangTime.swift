import Foundation

/// An instant with the UTC offset it was written in.
///
/// Comparisons use the instant; calendar fields (`hour`, `weekday`, `date`, …) use the offset, so
/// `2018-01-14T19:04:05+02:00` has hour 19, as in the reference. Kept as integers: exact, and cheap
/// to compare.
public struct TalangTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int64
    /// Nanoseconds within the second, 0 ..< 1_000_000_000.
    public let nanoseconds: Int32
    /// The offset from UTC in seconds the time is shown in.
    public let utcOffset: Int32

    /// Years outside 0000 ... 9999 are rejected, which keeps every computation far from overflow.
    static let minSeconds: Int64 = -62_167_219_200  // 0000-01-01T00:00:00Z
    static let maxSeconds: Int64 = 253_402_300_799  // 9999-12-31T23:59:59Z

    public init?(seconds: Int64, nanoseconds: Int32 = 0, utcOffset: Int32 = 0) {
        guard (Self.minSeconds...Self.maxSeconds).contains(seconds), (0..<1_000_000_000).contains(nanoseconds),
            abs(utcOffset) < 86_400
        else { return nil }
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.utcOffset = utcOffset
    }

    /// The date, clamped to the supported years (a non-finite date is the epoch).
    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970.isFinite ? date.timeIntervalSince1970 : 0
        let whole = interval.rounded(.down)
        let clamped = min(max(whole, Double(Self.minSeconds)), Double(Self.maxSeconds))
        seconds = Int64(clamped)
        nanoseconds = Int32(min(max((interval - whole) * 1e9, 0), 999_999_999))
        utcOffset = 0
    }

    public var date: Date {
        Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9)
    }

    public static func == (a: TalangTime, b: TalangTime) -> Bool {
        a.seconds == b.seconds && a.nanoseconds == b.nanoseconds
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(seconds)
        hasher.combine(nanoseconds)
    }

    public static func < (a: TalangTime, b: TalangTime) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    public var description: String { rfc3339 }

    /// The same instant shown at another offset.
    func shown(atOffset offset: Int32) -> TalangTime {
        TalangTime(uncheckedSeconds: seconds, nanoseconds: nanoseconds, utcOffset: offset)
    }

    init(uncheckedSeconds: Int64, nanoseconds: Int32, utcOffset: Int32) {
        seconds = uncheckedSeconds
        self.nanoseconds = nanoseconds
        self.utcOffset = utcOffset
    }

    /// The instant moved by a number of nanoseconds, or nil when it leaves the supported years.
    func adding(nanoseconds delta: Int64) -> TalangTime? {
        let (wholeSeconds, rest) = delta.quotientAndRemainder(dividingBy: 1_000_000_000)
        var newSeconds = seconds.addingReportingOverflow(wholeSeconds)
        guard !newSeconds.overflow else { return nil }
        var newNanos = Int64(nanoseconds) + rest
        if newNanos < 0 {
            newNanos += 1_000_000_000
            newSeconds.partialValue -= 1
        } else if newNanos >= 1_000_000_000 {
            newNanos -= 1_000_000_000
            newSeconds.partialValue += 1
        }
        return TalangTime(seconds: newSeconds.partialValue, nanoseconds: Int32(newNanos), utcOffset: utcOffset)
    }

    /// Exact difference `self - other` in seconds: as nanoseconds × 10⁻⁹ when they fit in 64 bits (spans
    /// up to ~292 years), the representation Foundation's sum below gives; Foundation beyond.
    func secondsSince(_ other: TalangTime) -> Decimal {
        let nanoseconds = Int64(self.nanoseconds) - Int64(other.nanoseconds)
        let whole = (seconds - other.seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let total = whole.partialValue.addingReportingOverflow(nanoseconds)
        if !whole.overflow, !total.overflow, SmallDecimal.layoutIsKnown {
            return SmallDecimal(significand: total.partialValue, exponent: -9).decimal
        }
        return Decimal(seconds - other.seconds) + Decimal(nanoseconds) / 1_000_000_000
    }
}
