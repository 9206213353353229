import Foundation
import PromotionEngine
import SQLiteStorage
import Storage
import Testing

@Suite struct DatePrecisionTests {
    /// What a create returns must equal what a later read returns, to the millisecond.
    @Test func storedTimesReadBackUnchanged() async throws {
        let store = try SQLiteStore(path: temporaryDatabasePath())
        _ = try await store.bootstrapAccount(adminEmail: "a@x", adminName: "A", passwordHash: "h", now: Date())
        for offset in 0..<200 {
            let now = Date(timeIntervalSince1970: 1_764_023_529.3235 + Double(offset) * 0.0137).storagePrecision
            let created = try await store.createApplication(
                accountId: 1, settings: .init(name: "a\(offset)", timezone: "UTC", currency: "EUR"), now: now
            )
            let read = try await store.application(id: created.id, accountId: 1)
            #expect(read.created == created.created, "offset \(offset): \(read.created.timeIntervalSince1970) vs \(created.created.timeIntervalSince1970)")
        }
    }
}
