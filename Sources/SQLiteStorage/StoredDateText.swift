import Foundation
import GRDB
import Talang

extension Date {
    /// The text GRDB stores for a date (`yyyy-MM-dd HH:mm:ss.SSS`, UTC, milliseconds rounded half up as Foundation does), built without
    /// GRDB's `DateFormatter`: on Linux that formatter goes through ICU and cost about a twelfth of a session
    /// commit inside the single writer. Used on the commit path; `StoredDateTextTests` holds it equal to GRDB's.
    var storedText: String {
        let milliseconds = Int64((timeIntervalSince1970 * 1000 + 0.5).rounded(.down))
        let (days, millisecondOfDay) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let (day, time) = millisecondOfDay < 0 ? (days - 1, millisecondOfDay + 86_400_000) : (days, millisecondOfDay)
        let (year, month, dayOfMonth) = TalangTime.civil(fromDays: day)
        guard (0...9999).contains(year) else { return String.fromDatabaseValue(databaseValue) ?? "" }  // GRDB's own
        var bytes = [UInt8](repeating: 0, count: 23)
        func put(_ value: Int64, at offset: Int, digits: Int) {
            var rest = value
            for position in stride(from: offset + digits - 1, through: offset, by: -1) {
                bytes[position] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                rest /= 10
            }
        }
        put(Int64(year), at: 0, digits: 4); bytes[4] = 45  // -
        put(Int64(month), at: 5, digits: 2); bytes[7] = 45
        put(Int64(dayOfMonth), at: 8, digits: 2); bytes[10] = 32  // space
        put(time / 3_600_000, at: 11, digits: 2); bytes[13] = 58  // :
        put(time / 60_000 % 60, at: 14, digits: 2); bytes[16] = 58
        put(time / 1000 % 60, at: 17, digits: 2); bytes[19] = 46  // .
        put(time % 1000, at: 20, digits: 3)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A date bound as the text GRDB stores for it (``Foundation/Date/storedText``), without GRDB's `DateFormatter`:
/// every statement on the session and profile commit path binds its dates through it.
struct StoredDate: DatabaseValueConvertible {
    let date: Date

    var databaseValue: DatabaseValue { date.storedText.databaseValue }

    static func fromDatabaseValue(_ dbValue: DatabaseValue) -> StoredDate? {
        Date.fromDatabaseValue(dbValue).map(StoredDate.init)
    }
}

extension Date {
    /// This date as a statement argument (see ``StoredDate``).
    var stored: StoredDate { StoredDate(date: self) }
}
