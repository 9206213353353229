import Foundation

/// Time functions. Times keep the UTC offset they were written with: calendar fields are read at
/// that offset, comparisons use the instant.
enum Times {
    static let category = "Time"

    static var definitions: [FunctionDefinition] {
        parsing + arithmetic + comparisons + fields
    }

    private static var parsing: [FunctionDefinition] {
        [
            .core("parseTime", category, [.string], returns: .time,
                "Reads a time: RFC 3339, or without an offset (UTC) as `2006-01-02T15:04:05`, `2006-01-02 15:04:05`, `2006-01-02 15:04`, `2006-01-02` or `2006/01/02`.",
                examples: [Example("(parseTime \"2018-01-02T19:04:05+01:00\")", "\"2018-01-02T19:04:05+01:00\""),
                           Example("(parseTime \"2018-01-02 19:04\")", "\"2018-01-02T19:04:00Z\""),
                           Example("(parseTime \"2018-01-02\")", "\"2018-01-02T00:00:00Z\""), Example("(parseTime \"-42\")", nil)]
            ) { arguments in
                let text = try arguments.string(0)
                if let time = TalangTime(rfc3339: text) { return .time(time) }
                for layout in fallbackLayouts {
                    if let time = try? layout.parse(text) { return .time(time) }
                }
                throw TalangFailure("\"\(text)\" is not a time")
            },
            .core("parseTime", category, [.string, .string], returns: .time,
                "Reads a time in a Joda-style layout (`yyyy-MM-dd HH:mm:ss`, `dd.MM.yyyy`, `HH:mm Z`); missing date fields default to 0000-01-01, a missing offset to UTC.",
                examples: [Example("(parseTime \"14.01.2018 19:04\" \"dd.MM.yyyy HH:mm\")", "\"2018-01-14T19:04:00Z\""),
                           Example("(parseTime \"10:30:31\" \"HH:mm:ss\")", "\"0000-01-01T10:30:31Z\""),
                           Example("(parseTime \"10:30\" \"HH:mm:ss\")", nil)]
            ) { arguments in
                .time(try TimeLayout(try arguments.string(1)).parse(try arguments.string(0)))
            },
            .core("formatTime", category, [.time], returns: .string,
                "The time in RFC 3339, at its own offset; the inverse of parseTime.",
                examples: [Example("(formatTime 2018-01-02T19:04:05+02:00)", "\"2018-01-02T19:04:05+02:00\"")]
            ) { arguments in
                .string(try arguments.time(0).rfc3339)
            },
        ]
    }

    /// What `parseTime` tries after RFC 3339 (the reference accepts many formats).
    private static let fallbackLayouts: [TimeLayout] = [
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy/MM/dd",
    ].compactMap { try? TimeLayout($0) }

    private static var arithmetic: [FunctionDefinition] {
        [
            duration("addDuration", sign: 1,
                [Example("(addDuration 2018-03-18T00:04:05Z 3 \"minutes\")", "\"2018-03-18T00:07:05Z\""),
                 Example("(addDuration 2018-03-18T00:04:05Z 18 \"days\")", "\"2018-04-05T00:04:05Z\""),
                 Example("(addDuration 2018-03-18T00:04:05Z 1 \"eons\")", nil)]),
            duration("subDuration", sign: -1,
                [Example("(subDuration 2018-03-18T00:04:05Z 17 \"hours\")", "\"2018-03-17T07:04:05Z\"")]),
            .core("daysBetween", category, [.time, .time], returns: .decimal,
                "The days from the first time to the second, exactly (fractional; negative when the second is earlier).",
                examples: [Example("(daysBetween 2006-01-02T19:04:05Z 2006-01-04T07:04:05Z)", "1.5")]
            ) { arguments in
                .decimal(try DecimalArithmetic.divide(try arguments.time(1).secondsSince(try arguments.time(0)), 86_400))
            },
            .core("days", category, [.time], returns: .decimal,
                "The days from now until the time (negative for past times); now is the evaluation's time.",
                examples: [Example("(days 2018-03-18T00:04:05Z)", nil, verified: false)]
            ) { arguments in
                .decimal(try DecimalArithmetic.divide(try arguments.time(0).secondsSince(arguments.evaluation.now), 86_400))
            },
        ]
    }

    private static func duration(_ name: String, sign: Int, _ examples: [Example]) -> FunctionDefinition {
        .core(name, category, [.time, .decimal, .string], returns: .time,
            "The time moved \(sign > 0 ? "forward" : "back") by an amount of `seconds`, `minutes`, `hours` or `days` (days are 24 hours).",
            examples: examples
        ) { arguments in
            let time = try arguments.time(0)
            let amount = try arguments.decimal(1)
            let unit = try arguments.string(2)
            let seconds: Decimal
            switch unit {
            case "seconds", "second": seconds = 1
            case "minutes", "minute": seconds = 60
            case "hours", "hour": seconds = 3600
            case "days", "day": seconds = 86_400
            default: throw TalangFailure("invalid duration unit \"\(unit)\" (seconds, minutes, hours or days)")
            }
            let nanoseconds = DecimalArithmetic.round(amount * seconds * 1_000_000_000, places: 0, mode: .plain)
            guard abs(nanoseconds) < Decimal(sign: .plus, exponent: 21, significand: 1), let delta = Int64(nanoseconds.description),
                let moved = time.adding(nanoseconds: Int64(sign) * delta)
            else { throw TalangFailure("the time would leave the years 0000 to 9999") }
            return .time(moved)
        }
    }

    private static var comparisons: [FunctionDefinition] {
        [
            .core("after", category, [.time, .time], returns: .boolean, "Whether the first time is after the second.",
                examples: [Example("(after 2006-01-02T19:04:05Z 2006-01-02T15:04:05Z)", "true"),
                           Example("(after 2006-01-02T19:04:05+02:00 2006-01-02T18:04:05Z)", "false")]
            ) { arguments in
                .boolean(try arguments.time(0) > arguments.time(1))
            },
            .core("before", category, [.time, .time], returns: .boolean, "Whether the first time is before the second.",
                examples: [Example("(before 2006-01-01T19:04:05Z 2006-01-02T15:04:05Z)", "true")]
            ) { arguments in
                .boolean(try arguments.time(0) < arguments.time(1))
            },
            .core("betweenTimes", category, [.time, .time, .time], returns: .boolean,
                "Whether the first time lies strictly between the second and the third.",
                examples: [Example("(betweenTimes 2006-01-02T19:04:05Z 2006-01-01T15:04:05Z 2006-01-03T19:04:05Z)", "true"),
                           Example("(betweenTimes 2006-01-01T15:04:05Z 2006-01-01T15:04:05Z 2006-01-03T19:04:05Z)", "false")]
            ) { arguments in
                let time = try arguments.time(0)
                return .boolean(try time > arguments.time(1) && time < arguments.time(2))
            },
            .core("matchTime", category, [.time, .time, .string], returns: .boolean,
                "Whether two times look the same in a Joda-style layout (`YYYY-MM-DD`: the same day; `HH`: the same hour), each at its own offset.",
                examples: [Example("(matchTime 2018-03-11T00:04:05Z 2018-03-11T23:00:00Z \"YYYY-MM-DD\")", "true"),
                           Example("(matchTime 2018-04-11T00:04:05Z 2018-03-11T00:04:05Z \"YYYY-MM-DD\")", "false")]
            ) { arguments in
                let layout = try TimeLayout(try arguments.string(2))
                return .boolean(layout.format(try arguments.time(0)) == layout.format(try arguments.time(1)))
            },
        ]
    }

    private static var fields: [FunctionDefinition] {
        [
            field("year", "The year, as a string.", "2018") { String($0.year) },
            field("month", "The month (1-12), as a string.", "1") { String($0.month) },
            field("monthDay", "The day of the month (1-31), as a string.", "14") { String($0.day) },
            field("weekday", "The day of the week (0 = Sunday … 6 = Saturday), as a string.", "0") { String($0.weekday) },
            field("hour", "The hour (0-23), as a string.", "19") { String($0.hour) },
            field("minute", "The minute (0-59), as a string.", "4") { String($0.minute) },
            field("date", "The date as YYYY-MM-DD.", "2018-01-14") {
                "\(pad($0.year, 4))-\(pad($0.month, 2))-\(pad($0.day, 2))"
            },
        ]
    }

    /// Calendar fields are strings, as in the reference, so `(= (hour T) "19")` and `(= (hour T) 19)` both hold.
    private static func field(
        _ name: String, _ description: String, _ example: String,
        _ read: @escaping @Sendable (TalangTime.Fields) -> String
    ) -> FunctionDefinition {
        .core(name, category, [.time], returns: .string, description + " Read at the time's own offset.",
            examples: [Example("(\(name) 2018-01-14T19:04:05Z)", "\"\(example)\"")]
        ) { arguments in
            .string(read(try arguments.time(0).fields))
        }
    }
}
