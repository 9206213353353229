import Foundation
import GRDB
@testable import SQLiteStorage
import Testing

@Suite struct StoredDateTextTests {
    /// The commit path's date text must be exactly what GRDB's formatter writes, or stored times would move.
    @Test func equalsGRDBsText() {
        var random = SystemRandomNumberGenerator()
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.0005),
                     Date(timeIntervalSince1970: 951_782_400.9999),  // 2000-02-29 00:00:00.999
                     Date(timeIntervalSince1970: 1_764_023_529.3235), Date(timeIntervalSince1970: 4_102_444_799.999),
                     Date(timeIntervalSince1970: -2_208_988_800.123)]  // 1900-01-01
        dates += (0..<5000).map { _ in
            Date(timeIntervalSince1970: Double(Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &random)) / 1000
                 + Double.random(in: 0..<0.001, using: &random))
        }
        for date in dates {
            #expect(date.storedText == String.fromDatabaseValue(date.databaseValue), "\(date.timeIntervalSince1970)")
        }
    }
}
