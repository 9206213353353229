import Foundation
import PromotionEngine
import SQLiteStorage
import Storage
import Testing

/// A fresh SQLite file in a temporary folder, removed by the caller.
func temporaryDatabasePath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("sconto-test-\(UUID().uuidString).sqlite").path
}

@Suite struct SQLiteStoreTests {
    @Test func bootstrapCreatesTheAccountOnlyOnce() async throws {
        let store = try SQLiteStore(path: temporaryDatabasePath())
        let hash = try PasswordHasher.hash("pw")
        #expect(try await store.bootstrapAccount(adminEmail: "a@x", adminName: "A", passwordHash: hash, now: Date()))
        #expect(try await !store.bootstrapAccount(adminEmail: "b@x", adminName: "B", passwordHash: hash, now: Date()))
        #expect(try await store.user(email: "a@x") != nil)
        #expect(try await store.user(email: "b@x") == nil)
    }

    @Test func migrationsSurviveReopening() async throws {
        let path = temporaryDatabasePath()
        do {
            let store = try SQLiteStore(path: path)
            _ = try await store.bootstrapAccount(adminEmail: "a@x", adminName: "A", passwordHash: "h", now: Date())
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.user(email: "a@x")?.name == "A")
    }

    @Test func applicationsPageAndSort() async throws {
        let store = try SQLiteStore(path: temporaryDatabasePath())
        _ = try await store.bootstrapAccount(adminEmail: "a@x", adminName: "A", passwordHash: "h", now: Date())
        for name in ["b", "d", "a", "c"] {
            _ = try await store.createApplication(
                accountId: 1, settings: .init(name: name, timezone: "UTC", currency: "EUR"), now: Date().storagePrecision
            )
        }
        let page = try await store.applications(
            accountId: 1, page: PageRequest(pageSize: 2, skip: 1, sort: SortField(parsing: "-name"))
        )
        #expect(page.totalCount == 4)
        #expect(page.items.map(\.settings.name) == ["c", "b"])
        await #expect(throws: StoreError.unsupportedSort(field: "password")) {
            _ = try await store.applications(accountId: 1, page: PageRequest(sort: SortField(parsing: "password")))
        }
    }

    @Test func deletingAnApplicationDeletesItsKeys() async throws {
        let store = try SQLiteStore(path: temporaryDatabasePath())
        _ = try await store.bootstrapAccount(adminEmail: "a@x", adminName: "A", passwordHash: "h", now: Date())
        let app = try await store.createApplication(
            accountId: 1, settings: .init(name: "shop", timezone: "UTC", currency: "EUR"), now: Date()
        )
        _ = try await store.createIntegrationKey(IntegrationKey(
            id: 0, accountId: 1, applicationId: app.id, createdBy: 1, title: "k", keyHash: "hash",
            expires: Date().addingTimeInterval(60), type: "", platform: nil, timeOffset: 0, created: Date()
        ))
        #expect(try await store.integrationKey(keyHash: "hash") != nil)
        try await store.deleteApplication(id: app.id, accountId: 1)
        #expect(try await store.integrationKey(keyHash: "hash") == nil)
        await #expect(throws: StoreError.notFound(entity: "application")) {
            _ = try await store.application(id: app.id, accountId: 1)
        }
    }
}

@Suite struct SecretTests {
    @Test func passwordHashesVerifyAndAreSalted() throws {
        let first = try PasswordHasher.hash("correct horse")
        let second = try PasswordHasher.hash("correct horse")
        #expect(first != second)
        #expect(!first.contains("correct horse"))
        #expect(PasswordHasher.verify("correct horse", against: first))
        #expect(!PasswordHasher.verify("wrong", against: first))
        #expect(!PasswordHasher.verify("correct horse", against: "garbage"))
    }

    @Test func secretsAre256BitHex() {
        let secret = Secret.generate()
        #expect(secret.count == 64)
        #expect(secret != Secret.generate())
        #expect(Secret.storageHash(secret).count == 64)
        #expect(Secret.storageHash(secret) != secret)
    }
}
