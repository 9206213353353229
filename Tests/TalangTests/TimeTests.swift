import Foundation
import Testing

@testable import Talang

@Suite struct TimeTests {
    @Test(arguments: [
        ("2026-11-24T10:00:00Z", "2026-11-24T10:00:00Z"),
        ("2026-11-24t10:00:00z", "2026-11-24T10:00:00Z"),
        ("2026-11-24 10:00:00+05:30", "2026-11-24T10:00:00+05:30"),
        ("2026-11-24T10:00:00.123456789-03:00", "2026-11-24T10:00:00.123456789-03:00"),
        ("2026-11-24T10:00:00.5Z", "2026-11-24T10:00:00.5Z"),
        ("2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"),
        ("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"),
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
        ("2026-11-24", "2026-11-24T00:00:00Z"),
    ])
    func rfc3339RoundTrips(_ text: String, _ expected: String) throws {
        #expect(try #require(TalangTime(rfc3339: text)).rfc3339 == expected)
    }

    @Test(arguments: [
        "2026-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2026-11-24T24:00:00Z", "2026-11-24T10:60:00Z",
        "2026-11-24T10:00:00", "2026-11-24T10:00:00+25:00", "2026-11-24T10:00:00.Z", "26-11-24T10:00:00Z",
        "2026-11-24T10:00:00Zjunk", "", "-2026-11-24T10:00:00Z",
    ])
    func invalidTimesAreRejected(_ text: String) {
        #expect(TalangTime(rfc3339: text) == nil)
    }

    @Test func fieldsAreReadAtTheTimesOffset() throws {
        let tokyo = try #require(TalangTime(rfc3339: "2026-01-01T08:30:00+09:00"))
        let utc = try #require(TalangTime(rfc3339: "2025-12-31T23:30:00Z"))
        #expect(tokyo == utc)
        #expect(tokyo.fields.year == 2026 && tokyo.fields.hour == 8 && tokyo.fields.weekday == 4)
        #expect(utc.fields.year == 2025 && utc.fields.hour == 23 && utc.fields.weekday == 3)
        #expect(tokyo.fields.dayOfYear == 1 && utc.fields.dayOfYear == 365)
    }

    @Test func calendarArithmeticAgreesWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var rng = FuzzTests.Generator(state: 99)
        for _ in 0..<500 {
            let seconds = Int64.random(in: -2_000_000_000...4_000_000_000, using: &rng)
            let time = try #require(TalangTime(seconds: seconds))
            let components = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: time.date)
            let fields = time.fields
            #expect(fields.year == components.year && fields.month == components.month && fields.day == components.day)
            #expect(fields.hour == components.hour && fields.minute == components.minute && fields.second == components.second)
            #expect(fields.weekday == (components.weekday ?? 0) - 1)
            #expect(TalangTime(rfc3339: time.rfc3339) == time)
        }
    }

    @Test func dateConversions() throws {
        let time = try #require(TalangTime(rfc3339: "2026-11-24T10:00:00.25Z"))
        #expect(TalangTime(time.date) == time)
        #expect(time.date.timeIntervalSince1970 == 1_795_514_400.25)
    }

    @Test func layouts() throws {
        let time = try #require(TalangTime(rfc3339: "2026-03-05T14:07:09.120+01:00"))
        #expect(try TimeLayout("yyyy-MM-dd HH:mm:ss.SSS ZZ").format(time) == "2026-03-05 14:07:09.120 +01:00")
        #expect(try TimeLayout("d/M/yy h:mm a").format(time) == "5/3/26 2:07 PM")
        #expect(try TimeLayout("EEEE, MMMM d 'at' H").format(time) == "Thursday, March 5 at 14")
        #expect(try TimeLayout("EEE MMM e DDD").format(time) == "Thu Mar 4 064")
        #expect(try TimeLayout("dd/MM/yyyy hh:mm a").parse("05/03/2026 02:07 PM").rfc3339 == "2026-03-05T14:07:00Z")
        #expect(try TimeLayout("EEE, d MMM yyyy HH:mm:ss Z").parse("Thu, 5 Mar 2026 14:07:09 +0100").rfc3339
            == "2026-03-05T14:07:09+01:00")
        #expect(throws: TalangFailure.self) { try TimeLayout("yyyy-QQ") }
        #expect(throws: TalangFailure.self) { try TimeLayout("yyyy-MM-dd").parse("2026-02-30") }
        #expect(throws: TalangFailure.self) { try TimeLayout("HH:mm").parse("10:30 extra") }
    }

    @Test func durationsAreExactAndBounded() throws {
        #expect(try Eval.run("(addDuration 2026-11-24T10:00:00Z 0.5 \"seconds\")") == .time(try #require(TalangTime(rfc3339: "2026-11-24T10:00:00.5Z"))))
        #expect(try Eval.run("(subDuration 2026-11-24T10:00:00Z -1 \"days\")") == .time(try #require(TalangTime(rfc3339: "2026-11-25T10:00:00Z"))))
        #expect(throws: TalangError.self) { try Eval.run("(addDuration 2026-11-24T10:00:00Z 1e30 \"days\")") }
        #expect(throws: TalangError.self) { try Eval.run("(subDuration 0001-01-01T00:00:00Z 400 \"days\")") }
    }

    @Test func daysUsesTheEvaluationsNow() throws {
        let compiled = try Talang.compile(Talang.parse("(days 2026-11-25T00:00:00Z)"), in: .core)
        #expect(try compiled.evaluate(now: TalangTime(rfc3339: "2026-11-24T00:00:00Z")) == 1)
        #expect(try compiled.evaluate(now: TalangTime(rfc3339: "2026-11-26T12:00:00Z")) == .decimal(Decimal(string: "-1.5") ?? 0))
        // Without `now`, the clock: some finite number.
        #expect(try compiled.evaluate().decimalValue != nil)
    }
}
