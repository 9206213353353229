/// Joda-style time layouts, as the reference's `parseTime` and `matchTime` take them:
/// `y`/`Y` year, `M` month (`MMM` name), `d` day, `D` day of year, `H` hour, `h` hour 1-12, `a` AM/PM,
/// `m` minute, `s` second, `S` fraction, `e` weekday (1 = Monday … 7 = Sunday), `E` weekday name,
/// `Z` offset; `'quoted text'` and other characters are literal.
struct TimeLayout: Sendable {
    enum Token: Equatable, Sendable {
        case field(Character, count: Int)
        case literal(String)
    }

    static let supported: Set<Character> = ["y", "Y", "M", "d", "D", "H", "h", "a", "m", "s", "S", "e", "E", "Z"]
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    let tokens: [Token]

    init(_ layout: String) throws(TalangFailure) {
        guard layout.count <= 128 else { throw TalangFailure("the layout is longer than 128 characters") }
        var tokens: [Token] = []
        let characters = Array(layout)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "'" {
                var end = index + 1
                while end < characters.count, characters[end] != "'" { end += 1 }
                tokens.append(.literal(end == index + 1 ? "'" : String(characters[(index + 1)..<end])))
                index = end + 1
            } else if character.isLetter, character.isASCII {
                guard Self.supported.contains(character) else {
                    throw TalangFailure("unsupported layout letter \"\(character)\"")
                }
                var end = index
                while end < characters.count, characters[end] == character { end += 1 }
                tokens.append(.field(character, count: end - index))
                index = end
            } else {
                tokens.append(.literal(String(character)))
                index += 1
            }
        }
        self.tokens = tokens
    }

    func format(_ time: TalangTime) -> String {
        let f = time.fields
        var text = ""
        for token in tokens {
            switch token {
            case .literal(let literal): text += literal
            case .field(let letter, let count):
                switch letter {
                case "y", "Y": text += count == 2 ? pad(f.year % 100, 2) : pad(f.year, count)
                case "M":
                    text += count >= 4 ? Self.monthNames[f.month - 1]
                        : count == 3 ? String(Self.monthNames[f.month - 1].prefix(3)) : pad(f.month, count)
                case "d": text += pad(f.day, count)
                case "D": text += pad(f.dayOfYear, count)
                case "H": text += pad(f.hour, count)
                case "h": text += pad(f.hour % 12 == 0 ? 12 : f.hour % 12, count)
                case "a": text += f.hour < 12 ? "AM" : "PM"
                case "m": text += pad(f.minute, count)
                case "s": text += pad(f.second, count)
                case "S": text += String(pad(f.nanosecond, 9).prefix(count))
                case "e": text += String(f.weekday == 0 ? 7 : f.weekday)
                case "E": text += count >= 4 ? Self.weekdayNames[f.weekday] : String(Self.weekdayNames[f.weekday].prefix(3))
                default:
                    let minutes = abs(Int(time.utcOffset)) / 60
                    text += (time.utcOffset < 0 ? "-" : "+") + pad(minutes / 60, 2) + (count >= 2 ? ":" : "")
                        + pad(minutes % 60, 2)
                }
            }
        }
        return text
    }

    func parse(_ text: String) throws(TalangFailure) -> TalangTime {
        var reader = DigitReader(Array(text.utf8))
        var year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanosecond = 0, offset = 0
        var afternoon: Bool?
        let failure = TalangFailure("\"\(text)\" does not match the layout")
        for token in tokens {
            switch token {
            case .literal(let literal):
                for character in literal where !reader.skip(character) { throw failure }
            case .field(let letter, let count):
                func number(_ maxDigits: Int) throws(TalangFailure) -> Int {
                    guard let value = reader.number(minDigits: 1, maxDigits: maxDigits) else { throw failure }
                    return value
                }
                switch letter {
                case "y", "Y": year = count == 2 ? 2000 + (try number(2)) : try number(4)
                case "M":
                    if count >= 3 {
                        guard let found = try? name(&reader, Self.monthNames, full: count >= 4) else { throw failure }
                        month = found + 1
                    } else {
                        month = try number(2)
                    }
                case "d": day = try number(2)
                case "H", "h": hour = try number(2)
                case "m": minute = try number(2)
                case "s": second = try number(2)
                case "S":
                    guard count <= 9, let digits = reader.number(minDigits: count, maxDigits: count) else { throw failure }
                    nanosecond = digits * Int(pow10(9 - count))
                case "a":
                    if reader.skip("A") { afternoon = false } else if reader.skip("P") { afternoon = true } else { throw failure }
                    guard reader.skip("M") else { throw failure }
                case "E":
                    guard (try? name(&reader, Self.weekdayNames, full: count >= 4)) != nil else { throw failure }
                case "Z":
                    if reader.skip("Z") { offset = 0; break }
                    guard let sign = reader.sign(), let hours = reader.number(digits: 2) else { throw failure }
                    _ = reader.skip(":")
                    guard let minutes = reader.number(digits: 2) else { throw failure }
                    offset = sign * (hours * 3600 + minutes * 60)
                default:  // D, e: read and ignored, the date fields decide
                    _ = try number(letter == "D" ? 3 : 1)
                }
            }
        }
        guard reader.atEnd else { throw failure }
        if let afternoon {
            guard (1...12).contains(hour) else { throw failure }
            hour = hour % 12 + (afternoon ? 12 : 0)
        }
        guard let time = TalangTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            nanosecond: nanosecond, utcOffset: offset)
        else { throw TalangFailure("\"\(text)\" is not a valid time") }
        return time
    }

    private func name(_ reader: inout DigitReader, _ names: [String], full: Bool) throws(TalangFailure) -> Int {
        for (index, candidate) in names.enumerated() {
            let word = full ? candidate : String(candidate.prefix(3))
            let saved = reader
            if word.allSatisfy({ reader.skip($0) }) { return index }
            reader = saved
        }
        throw TalangFailure("no name matches")
    }

    private func pow10(_ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { value, _ in value * 10 }
    }
}
